"""Text normalization for word checks: what evasions a word list must see through.

A text becomes one or more *readings*: lowercase Latin words separated by single spaces. A listed
word or phrase matches when it occurs as whole words in any reading, so "class", "assess" and
"Scunthorpe" never match "ass" or "cunt".
"""

import hashlib
import re
import unicodedata
from functools import cache, lru_cache

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
_ASCII_LETTER = re.compile(r"[a-z]")
_CLOSING = "!?.,;:'\")]…"
# A run of three or more single characters, each pair split by the same separator: f.u.c.k,
# f u c k, f-u-c-k, f~u~c~k, f/u/c/k, f • u • c • k. Only single characters join, so "is a b c"
# never glues "is" to anything, and the same-separator rule keeps "e.g. i.e." apart.
_SPACED = re.compile(r"(?<![\w'’])[^\W_](?P<sep>[^\w]+|_+)[^\W_](?:(?P=sep)[^\W_])+(?![\w'’])")
_SEPARATORS = re.compile(r"[^\w]+|_+")
# Separators and digits inside a word: fu.ck, ass-hole, sh_it, f~ck, fu2ck.
_INNER = re.compile(r"(?<=[a-z])[^a-z\s]+(?=[a-z])")
_REPEATS = re.compile(r"(.)\1{2,}")
# A letter masked inside a word (sh*t, c#nt, motherf*cker): read with each vowel in its place.
_MASK = re.compile(r"(?<=[a-z])[*#%]{1,2}(?=[a-z])")
# A digit inside a word that is noise rather than leetspeak (fu3ck): read once without it too.
_DIGIT_INSIDE = re.compile(r"(?<=[a-z])\d(?=[a-z])")
_WORD = re.compile(r"[a-z]+")
_GAP = "*"  # in a listed phrase: up to three words of any kind
# Spellings that sound the same (phuck, fuk, azzhole, fvck): compared only for listed words of three
# or more letters in this form, so "as" never reads as "ass".
_SOUNDS = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"(?<=[b-df-hj-np-tv-xz])v(?=[b-df-hj-np-tv-xz])"), "u"),  # fvck
    (re.compile(r"ck|kk|q|c(?=[aoukr])"), "k"),
    (re.compile(r"z"), "s"),
)
PHONETIC_MIN = 3
# A Unicode name that says which Latin letter a character is: small capitals (ᴄ), circled,
# squared and parenthesized letters (ⓕ, 🅵), regional indicators (🇫), letters with a stroke or hook
# that NFKD does not take apart (ƒ, ɢ). Read from the Unicode database once, on first use.
_LATIN_NAME = re.compile(
    r"(?:LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?|(?:NEGATIVE )?(?:SQUARED|CIRCLED|PARENTHESIZED)"
    r" LATIN (?:SMALL |CAPITAL )?LETTER |REGIONAL INDICATOR SYMBOL LETTER )([A-Z])(?: WITH .+)?$"
)


@cache
def letter_forms() -> dict[int, str]:
    table = {}
    for code in range(0x80, 0x1FC00):
        if match := _LATIN_NAME.match(unicodedata.name(chr(code), "")):
            table[code] = match.group(1).lower()
    return table


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
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()
    text = text.translate(letter_forms())
    # Look-alike Cyrillic and Greek letters are read as Latin in a mostly Latin text, in a word
    # that mixes scripts ("fuсk"), or when every letter is a look-alike ("ЅНІТ"); ordinary
    # Ukrainian, Russian or Kazakh words stay as they are ("как" is not "kak").
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if "a" <= ch <= "z")
    if latin * 2 >= len(letters) or all(ch.translate(_CONFUSABLES).isascii() for ch in letters):
        return text.translate(_CONFUSABLES)
    return _TOKEN.sub(
        lambda m: m.group(0).translate(_CONFUSABLES) if _ASCII_LETTER.search(m.group(0)) else m.group(0),
        text,
    )


def _decode_token(token: str, table: dict) -> str:
    # Numbers stay numbers ("98,000", "$5"); a token is read as leetspeak when it has a letter,
    # or is all symbols with @ or $ in it ("@$$"). Closing punctuation stays punctuation, so
    # "Great!" is not "greati".
    has_letter = _LETTER.search(token)
    if not has_letter and (any(ch.isdigit() for ch in token) or not {"@", "$"} & set(token)):
        return token
    core = token.rstrip(_CLOSING)
    return core.translate(table) + token[len(core) :]


def _joinings(text: str) -> tuple[str, ...]:
    # Spaced-out letters joined; a second reading keeps a leading "a" or "i" apart, for a word
    # spelled out inside a sentence ("you are a f u c k i n g idiot").
    whole = _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)

    def keep_article(m: re.Match) -> str:
        joined = _SEPARATORS.sub("", m.group(0))
        return f"{joined[0]} {joined[1:]}" if joined[0] in "ai" and len(joined) > 3 else joined

    apart = _SPACED.sub(keep_article, text)
    return (whole,) if apart == whole else (whole, apart)


@lru_cache(maxsize=8192)
def normalize(text: str) -> tuple[str, ...]:
    """The readings of a text a word check matches against, most literal first.

    NFKC, accents, zero-width and control characters removed, casefolded, Latin letter forms
    (small capitals, circled letters) and look-alike letters mapped, leetspeak decoded (1 as i
    and as l), spaced-out single letters joined, separators and digits inside a word removed (and
    kept), runs of 3+ repeated letters collapsed to one and to two ("fuuuck", "assssshole"), a
    masked letter read as each vowel ("sh*t").
    """
    folded = _fold(text)
    sources = [folded, *(_MASK.sub(vowel, folded) for vowel in "aeiou")] if _MASK.search(folded) else [folded]
    if _DIGIT_INSIDE.search(folded):
        sources.append(_DIGIT_INSIDE.sub("", folded))
    readings: list[str] = []
    # Most texts have no 1 or |, and then both leetspeak readings are the same.
    tables = _LEET_TABLES if ("1" in folded or "|" in folded) else _LEET_TABLES[:1]
    for source, table in ((source, table) for source in sources for table in tables):
        decoded = _TOKEN.sub(lambda m, t=table: _decode_token(m.group(0), t), source)
        for joined in _joinings(decoded):
            for glued in (joined, _INNER.sub("", joined)):
                for repl in (r"\1", r"\1\1"):
                    reading = " ".join(_WORD.findall(_REPEATS.sub(repl, glued)))
                    if reading not in readings:
                        readings.append(reading)
    return tuple(readings)


def phonetic(reading: str) -> str:
    """A reading spelled as it sounds: ph as f, ck/q/hard c as k, z as s, v between consonants as u.

    Doubled letters stay: "Twatt" (Orkney) is a place, not a spelling.
    """
    for pattern, sound in _SOUNDS:
        reading = pattern.sub(sound, reading)
    return reading


def phrase_key(phrase: str) -> str:
    """A listed phrase as it is matched ("" if it has no Latin letters).

    Folded Latin words, single-spaced, plus a small pattern language for the threat, hate and
    spam lists: `kill/shoot/stab` is any of those words, `kill*` any word starting with "kill",
    and a lone `*` stands for up to three words of any kind ("i will * find you").
    """
    tokens = []
    for token in _fold(phrase).split():
        if token == _GAP:
            if tokens and tokens[-1] != _GAP:
                tokens.append(_GAP)
            continue
        alternatives = []
        for alt in token.split("/"):
            words = " ".join(_WORD.findall(alt))
            if words:
                alternatives.append(words + ("*" if alt.endswith("*") else ""))
        if alternatives:
            tokens.append("/".join(alternatives))
    while tokens and tokens[-1] == _GAP:
        tokens.pop()
    return " ".join(tokens)


def _key_pattern(key: str) -> str:
    pattern = ""
    for token in key.split(" "):
        if token == _GAP:
            pattern += r"(?:[a-z]+ ){0,3}"
            continue
        words = "|".join(
            re.escape(alt.rstrip("*")) + ("[a-z]*" if alt.endswith("*") else "") for alt in token.split("/")
        )
        pattern += f"(?:{words}) "
    return pattern[:-1]


@lru_cache(maxsize=64)
def _matcher(keys: tuple[str, ...]) -> re.Pattern | None:
    # One alternation for the whole list, one group per key, longest first; cached by content,
    # so an edited list compiles once and an unchanged one never again. Every piece is bounded
    # (a gap is at most three words), so a match attempt costs at most a few words of work.
    if not keys:
        return None
    ordered = sorted(range(len(keys)), key=lambda i: len(keys[i]), reverse=True)
    alternation = "|".join(f"(?P<k{i}>{_key_pattern(keys[i])})" for i in ordered)
    # A zero-width (lookahead) match, so a phrase starting inside another's match is still found;
    # at one position the longest phrase wins, which is enough: one list, one verdict.
    return re.compile(rf"(?<!\S)(?=(?:{alternation})(?!\S))")


def _found(keys: tuple[str, ...], readings: tuple[str, ...]) -> set[str]:
    pattern = _matcher(keys)
    if pattern is None:
        return set()
    # Readings are joined by newlines: whole words and gaps never reach across two of them.
    return {keys[int(m.lastgroup[1:])] for m in pattern.finditer("\n".join(readings))}


@lru_cache(maxsize=64)
def _compiled(phrases: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    # Per list, cached by content like _matcher: folding 150 phrases costs more than the text.
    keys = {phrase: phrase_key(phrase) for phrase in phrases}
    sounds = {key: phonetic(key) for key in keys.values() if _WORD.fullmatch(key)}
    return keys, {key: sound for key, sound in sounds.items() if len(sound) >= PHONETIC_MIN}


def find_phrases(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The listed phrases that occur as whole words in any reading of the text, in list order.

    A plain word of three or more letters as it sounds (phonetic()) also matches as it sounds.
    """
    keys, sounds = _compiled(tuple(phrases))
    readings = normalize(text)
    found = _found(tuple(k for k in keys.values() if k), readings)
    if sounds:
        heard = _found(tuple(sorted(set(sounds.values()))), tuple(phonetic(r) for r in readings))
        found.update(key for key, sound in sounds.items() if sound in heard)
    return [phrase for phrase, key in keys.items() if key and key in found]


def fingerprint(text: str) -> str:
    """A key for "the same text" (repeats, spam waves), hashed.

    The most literal reading for a text written mostly in Latin letters; otherwise the folded
    text itself, whitespace collapsed, so comments in Chinese, Arabic or Russian, or of emoji or
    digits only, are told apart (their Latin reading is empty or a few stray words).
    """
    reading = normalize(text)[0]
    folded = _fold(text)
    letters = sum(1 for ch in folded if ch.isalpha())
    if letters and len(reading.replace(" ", "")) * 2 >= letters:
        key = reading
    else:
        key = "\x00" + " ".join(folded.split())
    return hashlib.sha256(key.encode()).hexdigest()
