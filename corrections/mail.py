"""The two emails a reader with an address gets: the thank-you and the outcome, each once."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import CorrectionNotice, CorrectionReport

Status = CorrectionReport.Status


def _site_mail(report: CorrectionReport, subject: str, body: str) -> None:
    send_mail(
        subject=f"{settings.SITE_NAME}: {subject}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[report.email],
    )


def _locked(report_id: int) -> CorrectionReport:
    # The report's row only: the article is read, never locked, by a mail going out.
    return (
        CorrectionReport.objects.select_for_update(of=("self",)).select_related("article").get(pk=report_id)
    )


def send_correction_acknowledgment(*, report_id: int) -> bool:
    """Thank the reader for the report, once; True when a mail went out now.

    Anyone may type any address into the form, so the mail carries none of the reader's words
    (name, quote, message, suggestion): it cannot be used to send someone else a text.
    """
    with transaction.atomic():
        report = _locked(report_id)
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
        report = _locked(report_id)
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
        body += f"\n\nThe article: {settings.SITE_URL}{report.article.get_absolute_url()}"
        # The address is unconfirmed: the desk's words and the article's, never the reader's.
        _site_mail(report, subject, f"Hello,\n\n{body}\n\n— The corrections desk")
        report.resolution_sent_at = timezone.now()
        report.save(update_fields=["resolution_sent_at"])
    return True
