"""Text normalization for word checks: what evasions a word list must see through.

A text becomes one or more *readings*: lowercase Latin words separated by single spaces. A listed
word or phrase matches when it occurs as whole words in any reading, so "class", "assess" and
"Scunthorpe" never match "ass" or "cunt".
"""

import hashlib
import re
import unicodedata
from functools import lru_cache

# Cyrillic and Greek letters that look like Latin ones, applied after casefolding. An explicit
# table rather than the full Unicode confusables data (confusable_homoglyphs): these are the
# substitutions seen in evasions, the full data also maps digits and punctuation that leetspeak
# below reads differently, and the table is small enough to review.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
        "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "с": "c", "ѕ": "s", "т": "t",
        "у": "y", "ԝ": "w", "х": "x", "ԁ": "d", "ь": "b",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ς": "s", "σ": "o", "μ": "u", "ϲ": "c", "ω": "w",
        # Latin and Armenian look-alikes NFKC leaves alone
        "ɑ": "a", "ɡ": "g", "ı": "i", "ƒ": "f", "ո": "n", "ս": "u", "օ": "o",
    }
)  # fmt: skip
# Leetspeak. 1 and | read as i or l, so every text is read both ways.
_LEET = {
    "4": "a",
    "@": "a",
    "3": "e",
    "0": "o",
    "$": "s",
    "5": "s",
    "7": "t",
    "+": "t",
    "8": "b",
    "9": "g",
    "!": "i",
}
_LEET_TABLES = (
    str.maketrans({**_LEET, "1": "i", "|": "i"}),
    str.maketrans({**_LEET, "1": "l", "|": "l"}),
)
_TOKEN = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")
_CLOSING = "!?.,;:'\")]…"
# A run of three or more single characters, each pair split by the same separator: f.u.c.k,
# f u c k, f-u-c-k, f . u . c . k. Only single characters join, so "is a b c" never glues
# "is" to anything, and the same-separator rule keeps "e.g. i.e." apart.
_SPACED = re.compile(r"(?<![\w'’])[^\W_](?P<sep>[.\s\-_*]+)[^\W_](?:(?P=sep)[^\W_])+(?![\w'’])")
# Separators inside a word: fu.ck, ass-hole, sh_it.
_INNER = re.compile(r"(?<=[a-z])[.\-_*]+(?=[a-z])")
_REPEATS = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[a-z]+")


def plain(text: str) -> str:
    """NFKC with zero-width, format and control characters removed (whitespace kept as a space)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in {"Cf", "Cc"}
    )


def _fold(text: str) -> str:
    # NFKD then dropping combining marks strips accents ("fück"); confusables are mapped after
    # casefolding so upper-case look-alikes need no entries of their own.
    text = unicodedata.normalize("NFKD", plain(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.casefold().translate(_CONFUSABLES)


def _decode_token(token: str, table: dict) -> str:
    # Numbers stay numbers ("98,000", "$5"); a token is read as leetspeak when it has a letter,
    # or is all symbols with @ or $ in it ("@$$"). Closing punctuation stays punctuation, so
    # "Great!" is not "greati".
    has_letter = _LETTER.search(token)
    if not has_letter and (any(ch.isdigit() for ch in token) or not {"@", "$"} & set(token)):
        return token
    core = token.rstrip(_CLOSING)
    return core.translate(table) + token[len(core) :]


@lru_cache(maxsize=8192)
def normalize(text: str) -> tuple[str, ...]:
    """The readings of a text a word check matches against, most literal first.

    NFKC, accents, zero-width and control characters removed, casefolded, look-alike letters
    mapped, leetspeak decoded (1 as i and as l), spaced-out single letters joined, separators
    inside a word removed (and kept), runs of 3+ repeated letters collapsed to one and to two
    ("fuuuck", "assssshole").
    """
    folded = _fold(text)
    readings: list[str] = []
    # Most texts have no 1 or |, and then both leetspeak readings are the same.
    for table in _LEET_TABLES if ("1" in folded or "|" in folded) else _LEET_TABLES[:1]:
        decoded = _TOKEN.sub(lambda m, t=table: _decode_token(m.group(0), t), folded)
        joined = _SPACED.sub(lambda m: re.sub(r"[.\s\-_*]+", "", m.group(0)), decoded)
        for glued in (joined, _INNER.sub("", joined)):
            for repl in (r"\1", r"\1\1"):
                reading = " ".join(_WORD.findall(_REPEATS.sub(repl, glued)))
                if reading not in readings:
                    readings.append(reading)
    return tuple(readings)


def phrase_key(phrase: str) -> str:
    """A listed word or phrase as it is matched: folded Latin words, single-spaced ("" if none)."""
    return " ".join(_WORD.findall(_fold(phrase)))


@lru_cache(maxsize=64)
def _matcher(keys: tuple[str, ...]) -> re.Pattern | None:
    # One alternation for the whole list, longest first; cached by content, so an edited list
    # compiles once and an unchanged one never again.
    keys = tuple(sorted({k for k in keys if k}, key=len, reverse=True))
    if not keys:
        return None
    # A zero-width (lookahead) match, so a phrase starting inside another's match is still found;
    # at one position the longest phrase wins, which is enough: one list, one verdict.
    return re.compile(r"(?<!\S)(?=(" + "|".join(re.escape(k) for k in keys) + r")(?!\S))")


def find_phrases(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The listed phrases that occur as whole words in any reading of the text, in list order."""
    keys = {phrase: phrase_key(phrase) for phrase in phrases}
    pattern = _matcher(tuple(keys.values()))
    if pattern is None:
        return []
    found: set[str] = set()
    for reading in normalize(text):
        found.update(m.group(1) for m in pattern.finditer(reading))
    return [phrase for phrase, key in keys.items() if key in found]


def fingerprint(text: str) -> str:
    """A key for "the same text" (repeats, spam waves): the most literal reading, hashed."""
    return hashlib.sha256(normalize(text)[0].encode()).hexdigest()
