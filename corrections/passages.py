"""Finding a reader's quoted passage again in an article's current text.

A reader's selection is copied from the rendered page: the browser may turn the seed's
non-breaking spaces into plain ones, the reader may retype curly quotes as straight ones, and the
desk may have edited the article since. So the search goes from strict to loose: exact, then
ignoring whitespace and quote/dash styles, then fuzzy. The prefix and suffix (about 32 characters
each side, as the page captured them) pick between several places that match equally well.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

EXACT = "exact"
NORMALIZED = "normalized"
FUZZY = "fuzzy"
FUZZY_MIN_SCORE = 80.0

_CHARACTER_STYLES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": ".",
    }
)


@dataclass(frozen=True)
class PassageMatch:
    start: int
    end: int
    method: str  # EXACT, NORMALIZED or FUZZY
    score: float  # 100 for exact and normalized matches

    def overlaps(self, other: "PassageMatch") -> bool:
        return self.start < other.end and other.start < self.end


def normalize(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs collapsed to one space and quote/dash styles unified.

    Also returns, for every character of the result, its index in the original text.
    """
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char.translate(_CHARACTER_STYLES).lower())
        index.append(i)
    return "".join(out), index


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    score = 0.0
    if prefix:
        before = normalize(text[max(0, start - len(prefix) - 8) : start])[0].strip()
        score += fuzz.ratio(before[-len(prefix) :], normalize(prefix)[0].strip())
    if suffix:
        after = normalize(text[end : end + len(suffix) + 8])[0].strip()
        score += fuzz.ratio(after[: len(suffix)], normalize(suffix)[0].strip())
    return score


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _best(text: str, spans: list[tuple[int, int]], prefix: str, suffix: str) -> tuple[int, int]:
    if len(spans) == 1:
        return spans[0]
    return max(spans, key=lambda s: _context_score(text, s[0], s[1], prefix, suffix))


def find_passage(text: str, quote: str, *, prefix: str = "", suffix: str = "") -> PassageMatch | None:
    """Where `quote` is in `text` now, or None when it cannot be found with confidence."""
    if not quote.strip() or not text:
        return None

    starts = _occurrences(text, quote)
    if starts:
        start, end = _best(text, [(s, s + len(quote)) for s in starts], prefix, suffix)
        return PassageMatch(start, end, EXACT, 100.0)

    norm_text, index = normalize(text)
    norm_quote = normalize(quote)[0].strip()
    if not norm_quote:
        return None
    starts = _occurrences(norm_text, norm_quote)
    if starts:
        spans = [(index[s], index[s + len(norm_quote) - 1] + 1) for s in starts]
        start, end = _best(text, spans, prefix, suffix)
        return PassageMatch(start, end, NORMALIZED, 100.0)

    return _fuzzy(norm_text, index, norm_quote, prefix, suffix)


def reads_as(found: str, quote: str) -> bool:
    """Whether a span of text still reads as the quote found there earlier (a cheap re-check)."""
    found, quote = normalize(found)[0].strip(), normalize(quote)[0].strip()
    return bool(found) and (found == quote or fuzz.ratio(found, quote) >= FUZZY_MIN_SCORE)


def _fuzzy(
    norm_text: str, index: list[int], norm_quote: str, prefix: str, suffix: str
) -> PassageMatch | None:
    # Align quote plus context first, so a passage that occurs twice is found where the reader
    # was; then align the quote alone inside that neighbourhood.
    low, high = 0, len(norm_text)
    norm_prefix, norm_suffix = normalize(prefix)[0].strip(), normalize(suffix)[0].strip()
    if norm_prefix or norm_suffix:
        around = " ".join(p for p in [norm_prefix, norm_quote, norm_suffix] if p)
        wide = fuzz.partial_ratio_alignment(around, norm_text)
        if wide and wide.score >= FUZZY_MIN_SCORE:
            low = max(0, wide.dest_start + (len(norm_prefix) + 1 if norm_prefix else 0) - 8)
            high = min(len(norm_text), wide.dest_end - (len(norm_suffix) + 1 if norm_suffix else 0) + 8)
    found = fuzz.partial_ratio_alignment(norm_quote, norm_text[low:high])
    if (found is None or found.score < FUZZY_MIN_SCORE) and (low, high) != (0, len(norm_text)):
        low, high = 0, len(norm_text)
        found = fuzz.partial_ratio_alignment(norm_quote, norm_text)
    if found is None or found.score < FUZZY_MIN_SCORE or found.dest_end <= found.dest_start:
        return None
    start, end = _snap_to_words(norm_text, low + found.dest_start, low + found.dest_end)
    return PassageMatch(index[start], index[end - 1] + 1, FUZZY, round(found.score, 1))


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy span to whole words and drop the spaces at its edges."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end
