"""Finding links in reader text: one pattern for comments (moderation) and correction reports.

RE2 (google-re2) rather than `re`: it runs in time linear in the input whatever the text, where a
backtracking engine took 0.7 s on 5,000 characters like "a-a-a-a-..." with the domain pattern
below. RE2 refuses back-references and look-arounds, so these patterns cannot grow a slow path.
"""

import re2

# Endings counted as a link without a scheme. Two-letter endings that are English words ("in",
# "is", "it", "so", "to", "me", "at") are left out: "the end.It was" is a missing space, not a
# link. Shorteners and messenger hosts with those endings are matched by name in SHORTENERS.
ENDINGS = [
    "com",
    "net",
    "org",
    "info",
    "biz",
    "edu",
    "gov",
    "ru",
    "su",
    "ua",
    "kz",
    "by",
    "uk",
    "de",
    "fr",
    "pl",
    "io",
    "co",
    "ly",
    "gl",
    "gd",
    "cc",
    "tv",
    "ws",
    "store",
    "app",
    "link",
    "live",
    "life",
    "fun",
]
SHORTENERS = frozenset(
    [
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "cutt.ly",
        "rebrand.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "s.id",
        "t.ly",
        "v.gd",
        "lnkd.in",
        "shorte.st",
        "adf.ly",
        "clck.ru",
    ]
)
MESSENGERS = frozenset(
    [
        "t.me",
        "telegram.me",
        "telegram.dog",
        "wa.me",
        "chat.whatsapp.com",
        "api.whatsapp.com",
        "discord.gg",
        "discord.com",
        "signal.me",
        "signal.group",
        "viber.me",
        "snapchat.com",
        "kik.me",
        "line.me",
    ]
)
# Endings that cost next to nothing to register and are mostly used for throwaway sites.
DISPOSABLE_ENDINGS = frozenset(
    [
        "xyz",
        "top",
        "club",
        "site",
        "online",
        "shop",
        "vip",
        "click",
        "win",
        "bid",
        "loan",
        "icu",
        "buzz",
        "cfd",
        "sbs",
        "cyou",
        "monster",
        "quest",
        "rest",
        "work",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "pw",
    ]
)
ENDINGS += sorted(DISPOSABLE_ENDINGS - set(ENDINGS))

LINK = re2.compile(
    r"(?i)(?:https?://|www\.)[^\s]+"
    r"|\b(?:" + "|".join(sorted(re2.escape(name) for name in SHORTENERS | MESSENGERS)) + r")\b(?:/[^\s]*)?"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:" + "|".join(ENDINGS) + r")\b(?:/[^\s]*)?"
)
_HOST = re2.compile(r"(?i)^(?:https?://)?(?:www\.)?([a-z0-9.-]+)")


def find_links(text: str) -> list[str]:
    """The links in a text, in order: with a scheme or www., or a bare address with a known ending."""
    return [m.group(0) for m in LINK.finditer(text)]


def host(link: str) -> str:
    """A link's host, lowercase, without www. ("bit.ly" for "https://www.bit.ly/x")."""
    match = _HOST.search(link)
    return match.group(1).lower().strip(".") if match else ""
