"""Correcting the reported paragraph itself, and publishing the notice with the new wording."""

from django.db import transaction

from articles.models import Article, ArticleBlock, ArticleBlockRevision
from articles.services import keep_block_revision

from . import passages
from .models import CorrectionNotice, CorrectionReport
from .services import CorrectionError, check_notice_text, publish_correction


def paragraph_of(report: CorrectionReport) -> tuple[ArticleBlock, int, int] | None:
    """The paragraph block holding the reported passage now, and the passage's span in it."""
    if not report.quote:
        return None
    blocks = [b for b in report.article.blocks.order_by("position") if b.kind == ArticleBlock.Kind.PARAGRAPH]
    text = "\n\n".join(b.text for b in blocks)
    found = passages.find_passage(text, report.quote, prefix=report.prefix, suffix=report.suffix)
    if found is None:
        return None
    offset = 0
    for block in blocks:
        if offset <= found.start <= offset + len(block.text):
            return block, found.start - offset, min(found.end - offset, len(block.text))
        offset += len(block.text) + 2
    return None


def changed_passage(old: str, new: str, start: int, end: int) -> tuple[str, str]:
    """The wording before and after an edit of a paragraph: the reported span [start, end) widened
    to everything the edit changed, then to whole words."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start, old_end = min(start, head), max(end, len(old) - tail)
    while start > 0 and not old[start - 1].isspace():
        start -= 1
    while old_end < len(old) and not old[old_end].isspace():
        old_end += 1
    new_end = len(new) - (len(old) - old_end)
    return old[start:old_end].strip(), new[start:new_end].strip()


def revise_block(*, block: ArticleBlock, text: str, user, note: str = "") -> ArticleBlockRevision:
    """Give a paragraph new wording as its next revision (its first wording is kept as revision 1)."""
    text = text.strip()
    if not text:
        raise CorrectionError("The paragraph cannot be empty.")
    with transaction.atomic():
        block = ArticleBlock.objects.select_for_update().get(pk=block.pk)
        previous = block.text
        block.text = text
        block.save(update_fields=["text"])
        return keep_block_revision(block=block, previous=previous, user=user, note=note)


def fix_passage(*, report: CorrectionReport, text: str, notice_text: str, user) -> CorrectionNotice:
    """Correct the reported paragraph and publish the notice with it, in one transaction.

    The paragraph's new wording is its next revision; the notice keeps the passage's old and new
    wording for readers' "What changed".
    """
    notice_text = check_notice_text(notice_text)
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=report.article_id).first()
        located = paragraph_of(report)
        if located is None:
            raise CorrectionError("The reported passage is no longer in the article: publish a notice only.")
        block, start, end = located
        if text.strip() == block.text:
            raise CorrectionError("The paragraph is unchanged: edit the wording first.")
        before, after = changed_passage(block.text, text.strip(), start, end)
        revision = revise_block(block=block, text=text, user=user, note=f"correction of report #{report.pk}")
        return publish_correction(
            report=report,
            text=notice_text,
            user=user,
            revision=revision,
            passage_before=before,
            passage_after=after,
        )
