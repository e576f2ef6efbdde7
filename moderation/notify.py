"""Emails to comment authors about decisions, sent by the `notifications` queue.

Queued after the decision commits (and after the undo window for a moderator's decision); the
task sends only if the decision is still the comment's latest audit record, so an undone
decision mails nobody, and only once per decision, so a redelivered message mails nobody twice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts import notifications
from comments import audit
from comments.models import AuditRecord, Comment
from comments.services import set_rejection_reason

from .signals import decision_mailing

log = logging.getLogger(__name__)
SENT_KEY = "moderation:decision-mail:{}"


def after_decision(*, comment_id: int, audit_id: int, reason: str = "", delay: int = 0) -> None:
    """Keep a rejection's plain reason for its author, and queue their email about this decision
    once the transaction commits."""
    set_rejection_reason(comment_id=comment_id, reason=reason)

    def queue() -> None:
        from .tasks import send_decision_email

        try:
            send_decision_email.apply_async((comment_id, audit_id, reason), countdown=delay)
        except Exception:  # the broker is down: moderation goes on, the email is kept for the sweep
            log.warning("could not queue the decision email for comment %s; kept for the sweep", comment_id)
            from .models import OwedDecisionMail

            try:
                OwedDecisionMail.objects.get_or_create(
                    audit_id=audit_id, defaults={"comment_id": comment_id, "reason": reason}
                )
            except Exception:  # the database too: nothing more to do here
                log.exception("could not keep the decision email for comment %s", comment_id)

    transaction.on_commit(queue)


def sweep_owed(*, limit: int = 200) -> int:
    """Send the decision emails kept while the broker was down, once their undo window is over;
    how many went out. A row goes once its email is sent or found not due (undone, no address)."""
    from .models import OwedDecisionMail

    before = timezone.now() - timedelta(seconds=settings.MODERATION_UNDO_SECONDS)
    sent = 0
    for owed in OwedDecisionMail.objects.filter(created_at__lt=before).order_by("pk")[:limit]:
        sent += send_decision_email(comment_id=owed.comment_id, audit_id=owed.audit_id, reason=owed.reason)
        owed.delete()
    return sent


def send_decision_email(*, comment_id: int, audit_id: int, reason: str = "") -> bool:
    """Mail the author about a rejection, or an approval that followed a review; True if sent."""
    record = AuditRecord.objects.filter(pk=audit_id, comment_id=comment_id).select_related("comment").first()
    if record is None:
        return False
    latest = AuditRecord.objects.filter(comment_id=comment_id).order_by("-id").values_list("pk", flat=True)[0]
    if latest != audit_id:
        return False  # undone or overtaken by a later change
    comment = Comment.objects.select_related("author", "article").get(pk=comment_id)
    if not comment.author.email:
        return False
    if any(answer for _, answer in decision_mailing.send(sender=AuditRecord, record=record)):
        return False  # another app mails the author a statement of reasons for it instead
    if record.action == audit.EDIT_REJECTED:
        subject = "Your edit was not published"
        why = reason or "it breaks our community rules"
        body = (
            f"Your edit of your comment on “{comment.article.headline}” was not published because {why}. "
            "Your earlier text stays published as it was.\n\n"
            f"The edit:\n{_quote(comment.edit_body)}"
        )
    elif record.to_status == Comment.Status.REJECTED:
        subject = "Your comment was not published"
        why = reason or comment.hold_reason or "it breaks our community rules"
        body = (
            f"Your comment on “{comment.article.headline}” was not published because {why}.\n\n"
            f"What you wrote:\n{_quote(comment.body)}\n\n"
            "If you think this was a mistake, reply to this email and a moderator will look again."
        )
    elif record.to_status == Comment.Status.APPROVED and record.from_status == Comment.Status.IN_REVIEW:
        subject = "Your comment is now published"
        link = comment.get_absolute_url()
        body = (
            f"A moderator has approved your comment on “{comment.article.headline}”; "
            f"it is now visible to everyone:\n{settings.SITE_URL}{link}\n\n{_quote(comment.body)}"
        )
    else:
        return False
    # The strict cache raises when Redis is unreachable, and the task retries: a mark that
    # failed silently would read as "already sent" and the mail would be lost.
    cache = caches["strict"]
    if not cache.add(SENT_KEY.format(audit_id), 1, timeout=7 * 24 * 3600):
        return False  # already sent for this decision
    try:
        if record.to_status == Comment.Status.APPROVED:  # news, not a decision against them: opt-out
            return notifications.send(user=comment.author, kind="approved", subject=subject, body=body)
        send_mail(
            f"{settings.SITE_NAME}: {subject}", body, settings.DEFAULT_FROM_EMAIL, [comment.author.email]
        )
    except Exception:
        cache.delete(SENT_KEY.format(audit_id))  # let the retry send it
        raise
    return True


def _quote(text: str) -> str:
    text = text if len(text) <= 600 else text[:600] + "…"
    return "\n".join(f"> {line}" for line in text.splitlines())
