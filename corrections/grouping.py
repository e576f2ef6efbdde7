"""Which open group of reports a new report joins: the one whose passage overlaps its quote."""

import logging
import time

from django.db.models import F

from articles.models import Article

from . import passages
from .models import CorrectionReport

log = logging.getLogger(__name__)

# Grouping compares a report with the open groups of its article, nearest recorded passage first,
# at most this many and for at most this long; past either the report starts its own group (the
# desk can still mark it a duplicate). Measured with bench/report_matching.py.
MATCH_CANDIDATES = 50
MATCH_SECONDS = 0.25


def _where_now(text: str, leader: CorrectionReport) -> passages.PassageMatch | None:
    """Where a group's passage is in the text now: at its recorded place if it still reads so there."""
    if leader.passage_start is None:
        return None
    start, end = leader.passage_start, leader.passage_end
    if passages.reads_as(text[start:end], leader.quote):
        return passages.PassageMatch(start, end, passages.EXACT, 100.0)
    return passages.find_passage(text, leader.quote, prefix=leader.prefix, suffix=leader.suffix)


def _distance(here: passages.PassageMatch | None, leader: CorrectionReport) -> tuple[int, int]:
    if leader.passage_start is None:
        return (2, 0)
    if here is None:
        return (1, 0)
    return (0, max(0, leader.passage_start - here.end, here.start - leader.passage_end))


def find_group(
    article: Article, *, text: str, quote: str, here: passages.PassageMatch | None, after: int = 0
) -> CorrectionReport | None:
    """The open group whose passage overlaps this quote, among groups newer than report `after`."""
    if not quote.strip():
        return None
    norm_quote = passages.normalize(quote)[0].strip()
    leaders = list(
        CorrectionReport.objects.filter(article=article, status__in=CorrectionReport.OPEN, pk__gt=after)
        .exclude(quote="")
        .filter(group_id=F("pk"))
        .only("pk", "quote", "prefix", "suffix", "passage_start", "passage_end", "created_at")
    )
    leaders.sort(key=lambda leader: (_distance(here, leader), leader.created_at, leader.pk))
    deadline = time.monotonic() + MATCH_SECONDS
    for leader in leaders[:MATCH_CANDIDATES]:
        if time.monotonic() > deadline:
            log.info("grouping report on article %s stopped at its time bound", article.pk)
            break
        there = _where_now(text, leader)
        if here and there and here.overlaps(there):
            return leader
        other = passages.normalize(leader.quote)[0].strip()
        if (here is None or there is None) and (norm_quote in other or other in norm_quote):
            return leader
    return None
