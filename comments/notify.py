"""Emails to readers about their comments: a reply, a comment featured. Sent as digests by the
`notifications` queue: the first event for a reader queues one digest a few minutes later
(NOTIFICATION_DIGEST_SECONDS), and every event until it runs joins it, so a busy thread sends
one email, not fifty. The rows are the record: a periodic sweep sends what a lost message left.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts import notifications
from accounts.selectors import display_name

from . import visibility
from .models import Comment, Notification

log = logging.getLogger(__name__)
_QUEUED_KEY = "comments:digest-queued:{}"


def after_published(comment: Comment) -> None:
    """Once the approval commits, tell the author of the comment a reply answers."""
    if comment.parent_id:
        transaction.on_commit(lambda: _note(comment.pk, Notification.Kind.REPLY))


def comment_featured(*, comment_id: int) -> None:
    """Tell the author their comment was featured (call it when a moderator features one)."""
    transaction.on_commit(lambda: _note(comment_id, Notification.Kind.FEATURED))


def _recipient(comment: Comment, kind: str):
    if kind == Notification.Kind.FEATURED:
        return comment.author
    answered = comment.reply_to or comment.parent
    if answered is None or answered.author_id == comment.author_id:
        return None
    return answered.author


def _note(comment_id: int, kind: str) -> None:
    try:
        comment = (
            Comment.objects.select_related("author", "parent__author", "reply_to__author")
            .filter(pk=comment_id)
            .first()
        )
        recipient = _recipient(comment, kind) if comment is not None else None
        if recipient is None or not notifications.wants(recipient, kind):
            return
        _, created = Notification.objects.get_or_create(recipient=recipient, kind=kind, comment=comment)
        if created:
            queue_digest(recipient.pk)
    except Exception:  # a notification must never undo or break the decision that caused it
        log.exception("could not note a %s notification for comment %s", kind, comment_id)


def queue_digest(recipient_id: int) -> None:
    """Queue the reader's digest unless one is already waiting to go."""
    delay = settings.NOTIFICATION_DIGEST_SECONDS
    if not cache.add(_QUEUED_KEY.format(recipient_id), 1, timeout=delay + 60):
        return
    from .tasks import send_notification_digest

    try:
        send_notification_digest.apply_async((recipient_id,), countdown=delay)
    except Exception:  # the broker is down: the sweep sends it
        cache.delete(_QUEUED_KEY.format(recipient_id))
        log.exception("could not queue the digest for user %s; the sweep will", recipient_id)


def send_digest(*, recipient_id: int) -> int:
    """Send the reader's unsent notifications, one email per kind; how many emails were sent.

    The rows are locked (SKIP LOCKED) and marked sent in the same transaction, so two runs never
    mail the same event twice; a failed send rolls back and the retry sends it.
    """
    cache.delete(_QUEUED_KEY.format(recipient_id))
    sent = 0
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=recipient_id, sent_at__isnull=True)
            .select_related("recipient", "comment__article", "comment__author__profile")
            .order_by("created_at", "id")
        )
        if not waiting:
            return 0
        recipient = waiting[0].recipient
        for kind in Notification.Kind.values:
            items = [n for n in waiting if n.kind == kind and _text(n.comment, recipient) is not None]
            if items and notifications.send(user=recipient, kind=kind, **_email(kind, items)):
                sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(sent_at=timezone.now())
    return sent


def _text(comment: Comment, recipient) -> str | None:
    """The comment's text as the recipient may read it in a mail: public text only (a featured
    comment is the recipient's own, and still only mailed once public)."""
    shown = visibility.shown(comment, viewer=recipient)
    return shown["body"] if shown["state"] == visibility.TEXT else None


def _email(kind: str, items: list[Notification]) -> dict:
    lines = []
    for n in items:
        c = n.comment
        link = f"{settings.SITE_URL}{c.get_absolute_url()}"
        body = _text(c, n.recipient)
        text = body if len(body) <= 300 else body[:300] + "…"
        if kind == Notification.Kind.REPLY:
            lines.append(f"{display_name(c.author)} replied on “{c.article.headline}”:\n> {text}\n{link}")
        else:
            lines.append(f"Your comment on “{c.article.headline}” is now an editors' pick:\n> {text}\n{link}")
    n = len(items)
    if kind == Notification.Kind.REPLY:
        subject = "A new reply to your comment" if n == 1 else f"{n} new replies to your comments"
    else:
        subject = "Your comment was featured" if n == 1 else f"{n} of your comments were featured"
    return {"subject": subject, "body": "\n\n".join(lines)}


def stale_recipients(*, older_than_seconds: int) -> list[int]:
    """Readers with a notification left unsent past its digest's time (a lost message)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
        .values_list("recipient_id", flat=True)
        .distinct()[:1000]
    )
