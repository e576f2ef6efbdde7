"""Text normalization for word checks: what evasions a word list must see through."""

import re
import unicodedata

# Cyrillic and Greek letters that look like Latin ones. An explicit table rather than the full
# Unicode confusables data: these are the substitutions seen in evasions, and the table keeps
# ordinary Cyrillic or Greek words from turning into nonsense Latin beyond these letters.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ɡ": "g", "ո": "n", "ս": "u", "ƒ": "f",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ς": "s", "σ": "o", "μ": "u",
    }
)  # fmt: skip
# Leetspeak: 1 reads as i or l, so texts are checked in both readings.
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
_LEET_I = str.maketrans({**_LEET, "1": "i", "|": "i"})
_LEET_L = str.maketrans({**_LEET, "1": "l", "|": "l"})
_TOKEN = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")
_REPEATS = re.compile(r"(.)\1{2,}")
# Single characters separated by dots, spaces, dashes, underscores or stars: f.u.c.k, f u c k.
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W_][.\s\-_*]+){2,}[^\W_](?![^\W_])")
_SEPARATORS = re.compile(r"[.\s\-_*]+")


def _decode_word(word: str, table: dict) -> str:
    # Only words with a letter in them are decoded, so numbers stay numbers ("98,000"), and
    # closing punctuation stays punctuation ("Great!" is not "greati").
    if not _LETTER.search(word):
        return word
    core = word.rstrip("!?.,;:'\")]")
    return core.translate(table) + word[len(core) :]


def _strip_invisible(text: str) -> str:
    return "".join(
        " " if ch in "\n\t\r" else ch
        for ch in text
        if unicodedata.category(ch) not in {"Cf", "Cc", "Mn"} or ch in "\n\t\r"
    )


def normalize(text: str) -> list[str]:
    """The text as a word check reads it, in each leetspeak reading (1 as i, 1 as l).

    NFKC, zero-width/control characters and accents removed, casefolded, look-alike letters
    mapped, leetspeak decoded, spaced-out letters joined, runs of 3+ letters collapsed to one
    and to two (so "fuuuck" and "assssshole" both read as the word).
    """
    base = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    base = _strip_invisible(base).casefold().translate(_CONFUSABLES)
    variants = []
    for table in (_LEET_I, _LEET_L):
        decoded = _TOKEN.sub(lambda m, t=table: _decode_word(m.group(0), t), base)
        decoded = _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group(0)), decoded)
        for repl in (r"\1", r"\1\1"):
            variant = " ".join(re.findall(r"[a-z]+", _REPEATS.sub(repl, decoded)))
            if variant not in variants:
                variants.append(variant)
    return variants


def contains_phrase(variants: list[str], phrase: str) -> bool:
    """Whole-word match of a (normalized) phrase in any reading of the text."""
    needle = " ".join(re.findall(r"[a-z]+", phrase.casefold()))
    if not needle:
        return False
    pattern = re.compile(rf"(?:^| ){re.escape(needle)}(?: |$)")
    return any(pattern.search(v) for v in variants)


def fingerprint(text: str) -> str:
    """A key for "the same text": the first normalized reading, hashed."""
    import hashlib

    return hashlib.sha256(normalize(text)[0].encode()).hexdigest()
