"""Notices of illegal content (DSA Art. 16): filing one, and what a decision on its comment means."""

from django.db import transaction
from django.utils import timezone

from comments.models import Comment
from moderation.models import ReviewItem
from moderation.services import route

from . import mail, statements
from .errors import Invalid
from .models import Notice, Statement

MAX_EXPLANATION = 5000
TRUSTED_FLAGGERS = "Trusted flaggers"  # the group, made by migration 0003


def _clean(text: str, *, field: str, limit: int) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise Invalid(field, "The text contains a NUL character.")
    if not text:
        raise Invalid(field, "Explain why the comment is illegal.")
    if len(text) > limit:
        raise Invalid(field, f"Keep it under {limit:,} characters.")
    return text


def file_notice(
    *,
    comment_id: int,
    category: str,
    explanation: str,
    good_faith: bool,
    name: str = "",
    email: str = "",
    notifier=None,
) -> Notice:
    """Take a notice: the comment goes to the `notices` queue (ahead of readers' flags and held
    comments) and stays public meanwhile; the notifier is sent a receipt once it is saved."""
    explanation = _clean(explanation, field="explanation", limit=MAX_EXPLANATION)
    if category not in Notice.Category.values:
        raise Invalid("category", "Choose what kind of illegal content it is.")
    if good_faith is not True:
        raise Invalid("good_faith", "Confirm that you believe the notice to be accurate and complete.")
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.APPROVED).first()
    if comment is None:
        raise Invalid("comment", "No such comment: only published comments can be reported.")
    signed_in = notifier is not None and notifier.is_authenticated
    trusted = signed_in and notifier.groups.filter(name=TRUSTED_FLAGGERS).exists()
    with transaction.atomic():
        notice = Notice.objects.create(
            comment=comment,
            category=category,
            explanation=explanation,
            name=(name or "").strip()[:100],
            email=(email or "").strip(),
            notifier=notifier if signed_in else None,
            good_faith=True,
            by_trusted_flagger=trusted,
        )
        who = "a trusted flagger" if trusted else "a reader"
        route(
            queue=ReviewItem.Queue.NOTICES,
            reason=category,
            note=f"Notice {notice.pk} from {who}: {notice.get_category_display()}. {explanation}",
            comment_id=comment.pk,
        )
        mail.after_commit("send_notice_receipt", notice.pk)
    return notice


def resolve(*, item: ReviewItem, moderator, action: str, record) -> list[Notice]:
    """Close the comment's open notices with the decision just taken on its item, and tell
    their notifiers (a removal cites its statement; leaving it up gets a statement of its own)."""
    notices = list(Notice.objects.select_for_update().filter(comment_id=item.comment_id, decided_at=None))
    if not notices:
        return []
    comment = Comment.objects.select_related("article").get(pk=item.comment_id)
    removed = comment.status in (Comment.Status.REJECTED, Comment.Status.DELETED)
    if not removed:
        statement = statements.for_kept_notices(comment=comment, notices=notices, moderator=moderator)
    else:
        statement = Statement.objects.filter(audit_record=record).first() if record is not None else None
    now = timezone.now()
    for notice in notices:
        notice.decided_at, notice.statement = now, statement
        notice.outcome = Notice.Outcome.REMOVED if removed else Notice.Outcome.KEPT
        notice.save(update_fields=["decided_at", "statement", "outcome"])
        mail.after_commit("send_notice_decision", notice.pk)
    return notices
