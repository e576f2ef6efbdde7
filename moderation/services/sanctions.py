"""Sanctions on commenters (ban, suspension, pre-moderation) and moderators' notes on them."""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from comments import audit
from comments.models import Comment
from comments.services import change_status, record_event

from .. import notify
from ..errors import Conflict, Invalid
from ..models import ModeratorNote, ReviewItem, Sanction
from ..permissions import is_moderator
from ..selectors import open_items
from ..signals import item_decided, sanction_applied
from .claims import renew
from .decisions import (
    APPROVE,
    ESCALATE,
    REJECT_REASONS,
    check_decision,
    close_item,
    escalate,
    moderator_reason,
)

log = logging.getLogger(__name__)

BANNED_AUTHOR = audit.reason("author_standing", "reject", "the author is banned", score=1.0)
BANNED_ACTOR = audit.system_actor("author_standing")


def apply_sanction(*, user, moderator, kind: str, reason: str, until: datetime | None = None) -> Sanction:
    """Ban, suspend until a time, or pre-moderate a commenter. A ban also has the worker reject
    the commenter's comments still waiting (pending or in review)."""
    reason = _check_sanction(user=user, moderator=moderator, kind=kind, reason=reason, until=until)
    with transaction.atomic():
        sanction = Sanction.objects.create(
            user=user, kind=kind, until=until, reason=reason, created_by=moderator
        )
        sanction_applied.send(sender=Sanction, sanction=sanction)
        if kind == Sanction.Kind.BAN:
            from ..tasks import reject_comments_of_banned

            user_id = user.pk
            transaction.on_commit(lambda: _queue_safely(reject_comments_of_banned, user_id))
    log.info("%s: %s on user %s", moderator.get_username(), kind, user.pk)
    return sanction


def _check_sanction(*, user, moderator, kind: str, reason: str, until: datetime | None) -> str:
    if kind not in Sanction.Kind.values:
        raise Invalid("The kind must be ban, suspend or premod.", field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Give a reason for the sanction.", field="reason")
    if len(reason) > 500:
        raise Invalid("Keep the reason under 500 characters.", field="reason")
    if kind == Sanction.Kind.SUSPEND and until is None:
        raise Invalid("A suspension needs an end time.", field="until")
    if until is not None and until <= timezone.now():
        raise Invalid("The end time must be in the future.", field="until")
    if user.pk == moderator.pk:
        raise Invalid("You cannot sanction yourself.", field="user")
    if user.is_staff or is_moderator(user):
        raise Invalid("Staff and moderators cannot be sanctioned here.", field="user")
    return reason


def _queue_safely(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # the broker is down: the sanction stands, the pipeline rejects on its own
        log.exception("could not queue %s%s", task.name, args)


def lift_sanction(*, sanction: Sanction, moderator) -> Sanction:
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
        if sanction.lifted_at is not None:
            raise Conflict("This sanction was already lifted.")
        sanction.lifted_at, sanction.lifted_by = timezone.now(), moderator
        sanction.save(update_fields=["lifted_at", "lifted_by"])
    return sanction


def decide_sanction_item(item: ReviewItem, *, moderator, action: str, reason: str, note: str) -> ReviewItem:
    """An appeal against a sanction: approve lifts it (if still in force), reject upholds it."""
    if action == APPROVE and item.sanction.lifted_at is None:
        lift_sanction(sanction=item.sanction, moderator=moderator)
    close_item(item, moderator=moderator, action=action, reason=reason, note=note, status_before="")
    if action == ESCALATE:
        escalate(item)
    renew(moderator=moderator)
    item_decided.send(sender=ReviewItem, item=item, moderator=moderator, action=action, record=None)
    log.info("%s: %s on item %s (sanction %s)", moderator.get_username(), action, item.pk, item.sanction_id)
    return item


def _close_as_banned(items, status_before: str) -> None:
    items.update(
        decided_at=timezone.now(), decision=ReviewItem.Decision.REJECT, decision_reason="other",
        decision_note="the author is banned", status_before=status_before,
        claimed_by=None, lease_expires_at=None,
    )  # fmt: skip


def reject_comments_of_banned_author(user_id: int) -> int:
    """The worker's side of a ban: reject what the author still has waiting, audited as system."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not Sanction.objects.filter(user=user, kind=Sanction.Kind.BAN).active().exists():
        return 0
    rejected = 0
    waiting = {Comment.Status.PENDING, Comment.Status.IN_REVIEW}
    for comment_id in list(
        Comment.objects.filter(author_id=user_id, status__in=waiting).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            done = change_status(
                comment_id=comment_id,
                to_status=Comment.Status.REJECTED,
                actor_name=BANNED_ACTOR,
                action=audit.COMMENT_REJECTED,
                reasons=[BANNED_AUTHOR],
                expect_status=waiting,
            )
            if done is not None:
                _close_as_banned(open_items().filter(comment_id=comment_id), done.audit_record.from_status)
                rejected += 1
    edits = Comment.objects.filter(
        author_id=user_id, edit_status__in=[Comment.EditStatus.PENDING, Comment.EditStatus.IN_REVIEW]
    ).values_list("pk", flat=True)
    for comment_id in list(edits):
        with transaction.atomic():
            record_event(
                comment_id=comment_id,
                actor_name=BANNED_ACTOR,
                action=audit.EDIT_REJECTED,
                reasons=[BANNED_AUTHOR],
                edit_status=Comment.EditStatus.REJECTED,
            )
            _close_as_banned(
                open_items().filter(comment_id=comment_id, for_edit=True), Comment.Status.APPROVED
            )
            rejected += 1
    return rejected


def add_note(*, user, moderator, text: str) -> ModeratorNote:
    """Keep a moderator's note on a commenter (seen by moderators on every item of theirs)."""
    text = (text or "").strip()
    if not text:
        raise Invalid("Write the note.", field="text")
    if len(text) > 1000:
        raise Invalid("Keep the note under 1,000 characters.", field="text")
    return ModeratorNote.objects.create(user=user, text=text, created_by=moderator)


def reject_all_pending_of(
    *, author, moderator, reason: str = "spam", note: str = "", published: bool = False
) -> int:
    """Reject every comment of the author still pending or in review (and, `published`, those
    readers see too: a ban's "reject their published comments too"); how many were rejected."""
    reason, note = check_decision(ReviewItem.Decision.REJECT, reason, note)
    waiting = {Comment.Status.PENDING, Comment.Status.IN_REVIEW}
    if published:
        waiting.add(Comment.Status.APPROVED)
    rejected = 0
    ids = list(Comment.objects.filter(author=author, status__in=waiting).values_list("pk", flat=True))
    for comment_id in ids:
        with transaction.atomic():
            item = open_items().select_for_update().filter(comment_id=comment_id).first()
            if (
                item is not None
                and item.claimed_by_id not in (None, moderator.pk)
                and item.lease_expires_at > timezone.now()
            ):
                continue  # another moderator is looking at it right now
            explained = moderator_reason(ReviewItem.Decision.REJECT, reason, note, otherwise="")
            explained["explanation"] = (
                f"all {'' if published else 'pending '}comments of {author.get_username()} rejected; {explained['explanation']}"
            )
            done = change_status(
                comment_id=comment_id,
                to_status=Comment.Status.REJECTED,
                actor=moderator,
                actor_name=moderator.get_username(),
                action=audit.COMMENT_REJECTED,
                reasons=[explained],
                expect_status=waiting,
            )
            if done is None:
                continue
            record = done.audit_record
            if item is not None:
                close_item(
                    item,
                    moderator=moderator,
                    action=ReviewItem.Decision.REJECT,
                    reason=reason,
                    note=note,
                    status_before=record.from_status,
                )
            notify.after_decision(
                comment_id=comment_id, audit_id=record.pk, reason=REJECT_REASONS[reason], delay=0
            )
            rejected += 1
    return rejected
