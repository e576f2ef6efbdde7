"""Finding links in reader text: one pattern for correction reports (report_checks.py) and
comments (moderation's checks, which sit above this app and read it from here).

It owns what a link looks like: the endings counted as one without a scheme and the short hosts
found by name. What a link is worth to a spam check (a shortener, a messenger, a throwaway ending)
is moderation's (moderation/spam_links.py, whose names tests/test_links.py checks are all found).

RE2 (google-re2) rather than `re`: it runs in time linear in the input whatever the text, where a
backtracking engine took 0.7 s on 5,000 characters like "a-a-a-a-..." with the domain pattern
below. RE2 refuses back-references and look-arounds, so these patterns cannot grow a slow path.
"""

import re2

# Endings counted as a link without a scheme: common and country endings, then the ones that cost
# next to nothing to register. Two-letter endings that are English words ("in", "is", "it", "so",
# "to", "me", "at") are left out: "the end.It was" is a missing space, not a link. Short hosts
# with those endings are matched by name in HOSTS_BY_NAME.
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
    # cheap to register, mostly throwaway sites (moderation weighs them: DISPOSABLE_ENDINGS)
    "bid",
    "buzz",
    "cf",
    "cfd",
    "click",
    "club",
    "cyou",
    "ga",
    "gq",
    "icu",
    "loan",
    "ml",
    "monster",
    "online",
    "pw",
    "quest",
    "rest",
    "sbs",
    "shop",
    "site",
    "tk",
    "top",
    "vip",
    "win",
    "work",
    "xyz",
]
# Link shorteners and messengers, found by name even without a scheme (t.me, lnkd.in, s.id).
HOSTS_BY_NAME = frozenset(
    [
        "adf.ly",
        "api.whatsapp.com",
        "bit.ly",
        "bitly.com",
        "buff.ly",
        "chat.whatsapp.com",
        "clck.ru",
        "cutt.ly",
        "discord.com",
        "discord.gg",
        "goo.gl",
        "is.gd",
        "kik.me",
        "line.me",
        "lnkd.in",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "s.id",
        "shorte.st",
        "shorturl.at",
        "signal.group",
        "signal.me",
        "snapchat.com",
        "t.co",
        "t.ly",
        "t.me",
        "telegram.dog",
        "telegram.me",
        "tiny.cc",
        "tinyurl.com",
        "v.gd",
        "viber.me",
        "wa.me",
    ]
)

LINK = re2.compile(
    r"(?i)(?:https?://|www\.)[^\s]+"
    r"|\b(?:" + "|".join(sorted(re2.escape(name) for name in HOSTS_BY_NAME)) + r")\b(?:/[^\s]*)?"
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
