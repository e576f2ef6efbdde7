"""Writes for articles: readers' correction reports and the desk's work on them."""

import difflib
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from . import passages, report_checks
from .models import (
    Article,
    ArticleBlock,
    ArticleBlockRevision,
    CorrectionNotice,
    CorrectionNoticeRevision,
    CorrectionReport,
    CorrectionStatusChange,
)

log = logging.getLogger(__name__)
Status = CorrectionReport.Status
MAX_QUOTE = 1000
MAX_MESSAGE = 5000
MAX_CONTEXT = 200
MAX_NOTICE = 2000
# The desk's form starts with these words; a notice still ending in them is half-written.
NOTICE_TEMPLATE = "An earlier version of this article misstated"


class CorrectionError(Exception):
    """A desk action that the reports' current state does not allow."""


def article_text(article: Article) -> str:
    """The article's current text as one string, paragraphs separated by a blank line."""
    return "\n\n".join(article.paragraphs())


def _record(report: CorrectionReport, to_status: str, *, by, note: str = "", actor: str = "") -> None:
    CorrectionStatusChange.objects.create(
        report=report,
        from_status=report.status,
        to_status=to_status,
        changed_by=by,
        actor=actor or by.get_username(),
        note=note,
    )
    report.status = to_status


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


def _find_group(
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


def create_correction_report(
    *,
    article: Article,
    message: str,
    quote: str = "",
    prefix: str = "",
    suffix: str = "",
    suggestion: str = "",
    name: str = "",
    email: str = "",
    honeypot_filled: bool = False,
) -> CorrectionReport:
    """File a reader's report, grouped with open reports of the same passage; checks run on a worker.

    The passage is searched for, and compared with the open groups, before the article's row is
    locked; under the lock only groups filed meanwhile are compared. A report whose honeypot was
    filled is kept too, filed straight away as rejected.
    """
    text = article_text(article)
    here = passages.find_passage(text, quote, prefix=prefix, suffix=suffix)
    newest = CorrectionReport.objects.filter(article=article).aggregate(pk=Max("pk"))["pk"] or 0
    leader = None if honeypot_filled else _find_group(article, text=text, quote=quote, here=here)
    with transaction.atomic():
        # One report at a time per article, so two readers of one passage land in one group: reports
        # are inserted under this lock, so those filed since `newest` are the ones not compared yet.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        report = CorrectionReport.objects.create(
            article=article,
            quote=quote,
            prefix=prefix[-MAX_CONTEXT:],
            suffix=suffix[:MAX_CONTEXT],
            passage_start=here.start if here else None,
            passage_end=here.end if here else None,
            message=message,
            suggestion=suggestion,
            name=name,
            email=email,
        )
        if honeypot_filled:
            report.spam_reason = "honeypot: the hidden field was filled"
            report.checked_at = timezone.now()
            _record(report, Status.REJECTED, by=None, actor=f"system (honeypot v{report_checks.VERSION})")
            report.save()
            return report
        if (
            leader
            and not CorrectionReport.objects.filter(pk=leader.pk, status__in=CorrectionReport.OPEN).exists()
        ):
            leader, newest = None, 0
        leader = leader or _find_group(article, text=text, quote=quote, here=here, after=newest)
        report.group = leader or report
        report.save(update_fields=["group"])
        report_id = report.pk
        transaction.on_commit(lambda: _queue("check_correction_report", report_id))
    return report


def _queue(task_name: str, report_id: int) -> None:
    from . import tasks

    try:
        getattr(tasks, task_name).delay(report_id)
    except BrokerError as error:
        # The report is saved; with the broker down the periodic sweep queues this work later.
        log.warning("could not queue %s for correction report %s: %s", task_name, report_id, error)


def check_correction_report(*, report_id: int) -> CorrectionReport:
    """Run the spam checks once: file a failing report as rejected, acknowledge a passing one."""
    with transaction.atomic():
        report = CorrectionReport.objects.select_for_update().get(pk=report_id)
        if report.checked_at is not None:
            return report
        reason = report_checks.spam_reason(
            message=report.message, suggestion=report.suggestion, quote=report.quote, name=report.name
        )
        report.checked_at = timezone.now()
        if reason and report.status == Status.NEW:
            report.spam_reason = reason
            check = reason.split(":", 1)[0]
            _record(
                report, Status.REJECTED, by=None, actor=f"system ({check} check v{report_checks.VERSION})"
            )
            _leave_group(report)
        report.save()
        if not reason and report.email:
            transaction.on_commit(lambda: _queue("send_correction_acknowledgment", report_id))
    return report


def _leave_group(report: CorrectionReport) -> None:
    """Take a rejected spam report out of its group; hand the group to the next report in it."""
    if report.group_id != report.pk:
        report.group = report
        return
    members = list(CorrectionReport.objects.filter(group=report).exclude(pk=report.pk).order_by("created_at"))
    if members:
        CorrectionReport.objects.filter(pk__in=[m.pk for m in members]).update(group=members[0])


def _open_reports_of(reports: Iterable[CorrectionReport]) -> list[CorrectionReport]:
    """The open reports in the groups of these reports, locked, oldest first."""
    group_ids = {r.group_id or r.pk for r in reports}
    return list(
        CorrectionReport.objects.select_for_update()
        .filter(group_id__in=group_ids, status__in=CorrectionReport.OPEN)
        .order_by("created_at", "pk")
    )


def assign_reports(*, reports: Iterable[CorrectionReport], user) -> int:
    """Make `user` the assignee of these reports' groups; returns how many reports changed."""
    with transaction.atomic():
        group = _open_reports_of(reports)
        for report in group:
            report.assignee = user
            report.save(update_fields=["assignee"])
    return len(group)


def start_reports(*, reports: Iterable[CorrectionReport], user) -> int:
    """Move the new reports of these groups to in_progress (assigned to `user` if unassigned)."""
    changed = 0
    with transaction.atomic():
        for report in _open_reports_of(reports):
            if report.status != Status.NEW:
                continue
            report.assignee = report.assignee or user
            _record(report, Status.IN_PROGRESS, by=user)
            report.save(update_fields=["status", "assignee"])
            changed += 1
    return changed


def _resolve(group: list[CorrectionReport], to_status: str, *, user, reply: str = "", note: str = "") -> None:
    for report in group:
        report.reply = reply
        report.assignee = report.assignee or user
        _record(report, to_status, by=user, note=note)
        report.save(update_fields=["status", "reply", "assignee"])
    answered = [r.pk for r in group]
    # Readers whose reports were marked duplicates of this passage are answered as well.
    answered += CorrectionReport.objects.filter(
        group_id__in={r.group_id for r in group}, status=Status.DUPLICATE, resolution_sent_at__isnull=True
    ).values_list("pk", flat=True)
    for report_id in answered:
        transaction.on_commit(lambda report_id=report_id: _queue("send_correction_resolution", report_id))


def reject_reports(*, reports: Iterable[CorrectionReport], user, reply: str) -> int:
    """Decline these reports' groups with a reply to the readers; returns how many were rejected."""
    if not reply.strip():
        raise CorrectionError("A rejection needs a reply to the reader.")
    with transaction.atomic():
        group = _open_reports_of(reports)
        _resolve(group, Status.REJECTED, user=user, reply=reply)
    return len(group)


def mark_duplicate(*, report: CorrectionReport, original: CorrectionReport, user) -> CorrectionReport:
    """File `report` as a duplicate of `original`; it and its group join the original's group."""
    with transaction.atomic():
        report = CorrectionReport.objects.select_for_update().get(pk=report.pk)
        original = CorrectionReport.objects.get(pk=original.pk)
        while original.duplicate_of_id:
            original = original.duplicate_of
        if original.pk == report.pk:
            raise CorrectionError("A report cannot be a duplicate of itself.")
        if original.article_id != report.article_id:
            raise CorrectionError("The original report must be about the same article.")
        if not report.is_open:
            raise CorrectionError(f"Report #{report.pk} is already {report.get_status_display().lower()}.")
        target_group = original.group_id or original.pk
        if report.group_id == report.pk:
            CorrectionReport.objects.filter(group=report).exclude(pk=report.pk).update(group=target_group)
        report.duplicate_of = original
        report.group_id = target_group
        _record(report, Status.DUPLICATE, by=user, note=f"duplicate of report #{original.pk}")
        report.save(update_fields=["status", "duplicate_of", "group"])
    return report


def check_notice_text(text: str) -> str:
    """The notice as it will be published; CorrectionError when it is empty or half-written."""
    text = text.strip()
    if not text:
        raise CorrectionError("A correction notice needs its text.")
    if len(text) > MAX_NOTICE:
        raise CorrectionError(f"Keep the notice under {MAX_NOTICE:,} characters.")
    if text.rstrip(" .,:;…-–—").casefold().endswith(NOTICE_TEMPLATE.casefold()):
        raise CorrectionError(
            f"Finish the notice: it still ends with the template's words “{NOTICE_TEMPLATE}”. "
            "Say what the article got wrong and what is right."
        )
    return text


def publish_correction(
    *,
    report: CorrectionReport,
    text: str,
    user,
    revision: ArticleBlockRevision | None = None,
    passage_before: str = "",
    passage_after: str = "",
) -> CorrectionNotice:
    """Publish a notice answering this report's group; resolves it and bumps the article's date."""
    text = check_notice_text(text)
    with transaction.atomic():
        group = _open_reports_of([report])
        if not group:
            raise CorrectionError(f"Report #{report.pk} and its group are already resolved.")
        now = timezone.now()
        notice = CorrectionNotice.objects.create(
            article=report.article,
            text=text,
            published_at=now,
            group_id=report.group_id or report.pk,
            published_by=user,
            revision=revision,
            passage_before=passage_before,
            passage_after=passage_after,
        )
        article = Article.objects.get(pk=report.article_id)
        article.updated_at = now
        article.save(update_fields=["updated_at"])
        _resolve(group, Status.PUBLISHED, user=user, note=f"correction notice #{notice.pk}")
    return notice


def edit_notice(*, notice: CorrectionNotice, text: str, user) -> CorrectionNotice:
    """Reword a published notice: the earlier wording is kept and readers see when it changed."""
    text = check_notice_text(text)
    with transaction.atomic():
        notice = CorrectionNotice.objects.select_for_update().get(pk=notice.pk)
        if text == notice.text:
            return notice
        now = timezone.now()
        CorrectionNoticeRevision.objects.create(
            notice=notice, text=notice.text, replaced_at=now, replaced_by=user
        )
        notice.text = text
        notice.updated_at = now
        notice.save(update_fields=["text", "updated_at"])
    return notice


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


def keep_block_revision(*, block: ArticleBlock, previous: str, user, note: str = "") -> ArticleBlockRevision:
    """Record a paragraph's new wording (already saved) after `previous`, numbered per block."""
    last = block.revisions.order_by("-number").first()
    if last is None:
        last = ArticleBlockRevision.objects.create(block=block, number=1, text=previous, note="as published")
    return ArticleBlockRevision.objects.create(
        block=block, number=last.number + 1, text=block.text, created_by=user, note=note
    )


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


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The change from `old` to `new` word by word: ("equal" | "delete" | "insert", text) pieces."""
    a, b = old.split(" "), new.split(" ")
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            pieces.append(("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            pieces.append(("insert", " ".join(b[j1:j2])))
    return pieces


def _site_mail(report: CorrectionReport, subject: str, body: str) -> None:
    send_mail(
        subject=f"{settings.SITE_NAME}: {subject}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[report.email],
    )


def send_correction_acknowledgment(*, report_id: int) -> bool:
    """Thank the reader for the report, once; True when a mail went out now.

    Anyone may type any address into the form, so the mail carries none of the reader's words
    (name, quote, message, suggestion): it cannot be used to send someone else a text.
    """
    with transaction.atomic():
        report = (
            CorrectionReport.objects.select_for_update(of=("self",))
            .select_related("article")
            .get(pk=report_id)
        )
        if not report.email or report.acknowledged_at or report.spam_reason:
            return False
        _site_mail(
            report,
            "we received your correction report",
            f"Hello,\n\nThank you for telling us about a possible mistake in “{report.article.headline}”.\n\n"
            f"Our corrections desk will look into it, and we will write to you again when it is "
            f"resolved.\n\nIf you did not send a correction report, you can ignore this email.\n\n"
            f"— The corrections desk",
        )
        report.acknowledged_at = timezone.now()
        report.save(update_fields=["acknowledged_at"])
    return True


def send_correction_resolution(*, report_id: int) -> bool:
    """Tell the reader how the report was resolved, once; True when a mail went out now."""
    with transaction.atomic():
        report = (
            CorrectionReport.objects.select_for_update(of=("self",))
            .select_related("article")
            .get(pk=report_id)
        )
        if not report.email or report.resolution_sent_at or report.spam_reason:
            return False
        leader = CorrectionReport.objects.get(pk=report.group_id or report.pk)
        outcome = leader.status if report.status == Status.DUPLICATE else report.status
        headline = report.article.headline
        if outcome == Status.PUBLISHED:
            notice = CorrectionNotice.objects.filter(group_id=leader.pk).order_by("-published_at").first()
            subject = "we corrected the article"
            body = f"Thank you: we have corrected “{headline}”." + (
                f" The article now carries this note:\n\n{notice.text}" if notice else ""
            )
        elif outcome == Status.REJECTED:
            subject = "about your correction report"
            body = f"We looked into your report about “{headline}” and did not change the article."
            reply = report.reply or leader.reply
            if reply:
                body += f"\n\nThe desk's reply:\n{reply}"
        else:
            return False
        # The address is unconfirmed: the desk's words and the article's, never the reader's.
        _site_mail(report, subject, f"Hello,\n\n{body}\n\n— The corrections desk")
        report.resolution_sent_at = timezone.now()
        report.save(update_fields=["resolution_sent_at"])
    return True


def sweep_correction_reports(*, older_than_seconds: int = 300) -> int:
    """Queue checks and emails that should have happened by now; returns how many were queued."""
    before = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    reports = CorrectionReport.objects.filter(created_at__lt=before)
    todo = [
        ("check_correction_report", pk)
        for pk in reports.filter(checked_at__isnull=True).values_list("pk", flat=True)
    ]
    with_email = reports.exclude(email="").filter(spam_reason="", checked_at__isnull=False)
    todo += [
        ("send_correction_acknowledgment", pk)
        for pk in with_email.filter(acknowledged_at__isnull=True).values_list("pk", flat=True)
    ]
    todo += [
        ("send_correction_resolution", pk)
        for pk in with_email.filter(
            resolution_sent_at__isnull=True,
            status__in=[Status.PUBLISHED, Status.REJECTED, Status.DUPLICATE],
        )
        .exclude(status=Status.DUPLICATE, group__status__in=CorrectionReport.OPEN)
        .values_list("pk", flat=True)
    ]
    for task_name, pk in todo:
        _queue(task_name, pk)
    return len(todo)
