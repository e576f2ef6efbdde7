"""The corrections desk's writes: readers' reports through their states, and published notices."""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from articles.models import Article, ArticleBlockRevision
from articles.services import article_text

from . import grouping, passages, report_checks
from .models import CorrectionNotice, CorrectionNoticeRevision, CorrectionReport, CorrectionStatusChange

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
    leader = None if honeypot_filled else grouping.find_group(article, text=text, quote=quote, here=here)
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
        leader = leader or grouping.find_group(article, text=text, quote=quote, here=here, after=newest)
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
