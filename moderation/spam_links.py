"""What a link is worth to the spam check (checks.spam): a link shortener, a messenger or a
throwaway ending weighs 1. Links are found by the pattern correction reports use too
(corrections/links.py); every name here is one it finds (tests/test_links.py)."""

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
