"""Decisions on review items and comments: one at a time, in bulk, undone and reversed.

A decision locks its item and refuses (Conflict) one that another moderator holds or that is
already decided. The comment's side goes through comments.services (change_status,
record_event), which lock the comment's row and check the status and version the moderator saw,
so every decision writes exactly one audit record and judges exactly the text shown.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments import audit
from comments.models import Comment
from comments.services import change_status, record_event

from .. import notify
from ..errors import Changed, Conflict, Invalid, NotYours, QueueError, status_code
from ..models import ReviewItem
from ..selectors import open_items
from ..signals import item_decided
from .claims import lease_until, renew

log = logging.getLogger(__name__)

# What a moderator may give as the reason for a rejection; the author is told the phrase.
REJECT_REASONS = {
    "spam": "it is spam or advertising",
    "abuse": "it contains abusive or hateful language",
    "harassment": "it attacks another person",
    "off_topic": "it is off topic",
    "misinformation": "it spreads false or misleading information",
    "personal_data": "it shares someone's personal information",
    # A notice of illegal content upheld: the statement of reasons cites the law, not the guidelines.
    "illegal": "it is illegal under the law that applies to this site",
    "other": "it breaks our community rules",
}

APPROVE, REJECT, ESCALATE = ReviewItem.Decision.values
# Decisions that answer someone outside the newsroom (a notifier, an appellant) cannot be undone.
FINAL_QUEUES = {ReviewItem.Queue.NOTICES, ReviewItem.Queue.APPEALS}
ACTIONS = {APPROVE: audit.COMMENT_APPROVED, REJECT: audit.COMMENT_REJECTED}


def moderator_reason(action: str, reason: str, note: str, *, otherwise: str, **extra) -> dict:
    """A moderator's decision as an audit reason: the reject reason's words and the note."""
    words = f"{reason}: {REJECT_REASONS[reason]}" if reason in REJECT_REASONS else ""
    explanation = "; ".join(p for p in [words, note] if p) or otherwise
    if reason in REJECT_REASONS:
        extra["code"] = reason  # the ground a statement of reasons cites
    return audit.reason("moderator", action, explanation, **extra)


def check_decision(action: str, reason: str, note: str) -> tuple[str, str]:
    if action not in ReviewItem.Decision.values:
        raise Invalid("The action must be approve, reject or escalate.", field="action")
    reason, note = (reason or "").strip(), (note or "").strip()
    if reason and reason not in REJECT_REASONS:
        # A reason outside the list is the moderator's own words.
        reason, note = "other", "; ".join(p for p in [reason, note] if p)
    if action == REJECT and not reason:
        raise Invalid("Give a reason for the rejection.", field="reason")
    if len(note) > 1000:
        raise Invalid("Keep the note under 1,000 characters.", field="note")
    return reason, note


def _ensure_version(comment: Comment, version: int) -> None:
    if comment.review_version != version:
        raise Changed(
            f"The comment changed since you saw version {version}: read version "
            f"{comment.review_version} and decide again."
        )


def _judged(done: Comment | None, *, comment_id: int, version: int) -> Comment:
    """What comments.services answered, or Changed when the comment moved on under its lock."""
    if done is None:
        _ensure_version(Comment.objects.get(pk=comment_id), version)
        raise Changed("The comment changed since you saw it: read it again and decide again.")
    return done


def decide(
    *, item_id: int, moderator, action: str, version: int, reason: str = "", note: str = ""
) -> ReviewItem:
    """Approve, reject or escalate one item, judging the comment's text at `version` (the one the
    moderator saw); Conflict when another holds it, it is decided, or the text changed since.

    An item nobody holds (or whose lease ran out) may be decided directly. Approving publishes
    the text judged (a waiting edit included); rejecting an item about an edit of a published
    comment refuses only the edit. The comment's change, its audit record and the closed item
    commit together; the author's email is queued after the undo window and sent only if the
    decision still stands then.
    """
    reason, note = check_decision(action, reason, note)
    with transaction.atomic():
        item = _lock_decidable(item_id, moderator=moderator, action=action)
        if item.comment_id is None:  # an appeal against a sanction
            from .sanctions import decide_sanction_item

            return decide_sanction_item(item, moderator=moderator, action=action, reason=reason, note=note)
        comment = Comment.objects.get(pk=item.comment_id)
        _ensure_version(comment, version)
        explained = moderator_reason(
            action,
            reason,
            note,
            otherwise=f"{action} from the {item.queue} queue",
            queue=item.queue,
            item=item.pk,
        )
        record = _apply(item, comment, moderator=moderator, action=action, explained=explained)
        close_item(
            item, moderator=moderator, action=action, reason=reason, note=note, status_before=comment.status
        )
        if action == ESCALATE:
            escalate(item)
        renew(moderator=moderator)
        item_decided.send(sender=ReviewItem, item=item, moderator=moderator, action=action, record=record)
        # An appeal is answered by the appeal's own reply, not the usual decision email.
        if record is not None and action != ESCALATE and item.queue != ReviewItem.Queue.APPEALS:
            notify.after_decision(
                comment_id=comment.pk,
                audit_id=record.pk,
                reason=REJECT_REASONS.get(reason, ""),
                delay=settings.MODERATION_UNDO_SECONDS,
            )
    log.info("%s: %s on item %s (comment %s)", moderator.get_username(), action, item.pk, item.comment_id)
    return item


def escalate(item: ReviewItem) -> None:
    ReviewItem.objects.create(
        comment_id=item.comment_id,
        sanction_id=item.sanction_id,
        queue=ReviewItem.Queue.ESCALATED,
        reason="escalated",
        for_edit=item.for_edit,
        note=item.note,
        excluded_moderator_id=item.excluded_moderator_id,
    )


def _lock_decidable(item_id: int, *, moderator, action: str) -> ReviewItem:
    """The item, locked, if this moderator may decide it now."""
    item = ReviewItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise ReviewItem.DoesNotExist(f"No review item {item_id}.")
    if item.excluded_moderator_id == moderator.pk:
        raise NotYours("This is an appeal against your own decision: another moderator decides it.")
    if not item.is_open:
        raise Conflict("This item was already decided.")
    if item.claimed_by_id not in (None, moderator.pk) and item.lease_expires_at > timezone.now():
        raise Conflict("Another moderator holds this item.")
    if action == ESCALATE and item.queue == ReviewItem.Queue.ESCALATED:
        raise Conflict("This item is already escalated.")
    return item


def _apply(item: ReviewItem, comment: Comment, *, moderator, action: str, explained: dict):
    """The comment's side of a decision: its one audit record (None for a deleted comment)."""
    seen = {
        "comment_id": comment.pk,
        "actor": moderator,
        "actor_name": moderator.get_username(),
        "reasons": [explained],
        "expect_status": {comment.status},
        "expect_version": comment.review_version,
    }
    if action == ESCALATE:
        done = record_event(action=audit.COMMENT_ESCALATED, **seen)
        return _judged(done, comment_id=comment.pk, version=comment.review_version).audit_record
    if comment.status == Comment.Status.DELETED:
        return None
    edit_only = item.for_edit and comment.status == Comment.Status.APPROVED
    upheld = item.queue == ReviewItem.Queue.APPEALS and comment.status == Comment.Status.REJECTED
    if action == REJECT and upheld:  # the rejection under appeal stands; the status does not change
        done = record_event(action=audit.APPEAL_UPHELD, **seen)
    elif action == REJECT and edit_only:
        done = record_event(action=audit.EDIT_REJECTED, edit_status=Comment.EditStatus.REJECTED, **seen)
    else:
        if action == APPROVE and comment.has_waiting_edit:
            explained["edit_published"] = True
        done = change_status(
            to_status=Comment.Status.APPROVED if action == APPROVE else Comment.Status.REJECTED,
            action=audit.EDIT_APPROVED if action == APPROVE and edit_only else ACTIONS[action],
            publish_edit=action == APPROVE,
            **seen,
        )
    return _judged(done, comment_id=comment.pk, version=comment.review_version).audit_record


def close_item(
    item: ReviewItem, *, moderator, action: str, reason: str, note: str, status_before: str
) -> None:
    item.decided_at = timezone.now()
    item.decided_by = moderator
    item.decision = action
    item.decision_reason = reason
    item.decision_note = note
    item.status_before = status_before
    item.save(
        update_fields=[
            "decided_at",
            "decided_by",
            "decision",
            "decision_reason",
            "decision_note",
            "status_before",
        ]
    )


@dataclass
class BulkResult:
    item_id: int
    ok: bool
    status: int
    detail: str


def decide_many(
    *, items: list[tuple[int, int]], moderator, action: str, reason: str = "", note: str = ""
) -> list[BulkResult]:
    """The same decision on several (item id, version seen) pairs, each on its own (audited,
    checked for 409: held by another, decided, or changed since seen)."""
    check_decision(action, reason, note)
    results = []
    for item_id, version in dict(items).items():
        try:
            decide(
                item_id=item_id, moderator=moderator, action=action, version=version, reason=reason, note=note
            )
        except ReviewItem.DoesNotExist:
            results.append(BulkResult(item_id, False, 404, "No such item."))
        except QueueError as error:
            results.append(BulkResult(item_id, False, status_code(error), str(error)))
        else:
            results.append(
                BulkResult(item_id, True, 200, f"{action}d" if action != ESCALATE else "escalated")
            )
    return results


def undo_last(*, moderator) -> ReviewItem:
    """Take back the moderator's last decision if it is at most MODERATION_UNDO_SECONDS old.

    The comment goes back to its status before the decision and the item is open again, held
    by the same moderator. Conflict when there is nothing to undo or the comment changed since.
    """
    now = timezone.now()
    window = timedelta(seconds=settings.MODERATION_UNDO_SECONDS)
    with transaction.atomic():
        item = (
            ReviewItem.objects.select_for_update()
            .filter(decided_by=moderator, decided_at__gte=now - window)
            .order_by("-decided_at", "-id")
            .first()
        )
        if item is None:
            raise Conflict(f"Nothing to undo: a decision can be undone for {window.seconds} seconds.")
        if item.comment_id is None or item.queue in FINAL_QUEUES:
            raise Conflict("A decision on a notice or an appeal is final: its parties were answered.")
        comment = Comment.objects.get(pk=item.comment_id)
        last = comment.audit_records.order_by("-id").first()
        _ensure_undoable(last, moderator=moderator)
        if _take_back(item, comment, last, moderator=moderator) is None:
            raise Conflict("The comment changed since your decision; it cannot be undone.")
        item.decided_at = item.decided_by = None
        item.decision = item.decision_reason = item.decision_note = item.status_before = ""
        item.claimed_by, item.lease_expires_at = moderator, lease_until(now)
        item.save()
    return item


def _ensure_undoable(last, *, moderator) -> None:
    if last is None or last.actor_id != moderator.pk or last.action.endswith(".undone"):
        raise Conflict("The comment changed since your decision; it cannot be undone.")
    if any(reason.get("edit_published") for reason in last.reasons):
        raise Conflict("A published edit cannot be undone: reject the comment if it must go.")


def _take_back(item: ReviewItem, comment: Comment, last, *, moderator) -> Comment | bool | None:
    """The comment's side of an undo, judged on the comment as it was read (None: it moved on)."""
    undone = audit.reason("moderator", "undo", "", item=item.pk)
    seen = {
        "comment_id": comment.pk,
        "actor": moderator,
        "actor_name": moderator.get_username(),
        "expect_status": {comment.status},
        "expect_version": comment.review_version,
    }
    if item.decision == ESCALATE:
        escalated = open_items(ReviewItem.Queue.ESCALATED).filter(comment=comment).first()
        if escalated is None or escalated.claimed_by_id is not None:
            raise Conflict("Another moderator already took the escalated item.")
        escalated.delete()
        reasons = [{**undone, "explanation": "escalation undone"}]
        return record_event(action=audit.ESCALATION_UNDONE, reasons=reasons, **seen)
    if last.action == audit.EDIT_REJECTED:
        reasons = [{**undone, "explanation": "rejection of the edit undone"}]
        return record_event(
            action=audit.DECISION_UNDONE, reasons=reasons, edit_status=Comment.EditStatus.IN_REVIEW, **seen
        )
    if item.status_before and comment.status != item.status_before:
        return change_status(
            to_status=item.status_before,
            action=audit.DECISION_UNDONE,
            reasons=[{**undone, "explanation": f"{item.decision} undone"}],
            hold_reason=comment.hold_reason if item.status_before == Comment.Status.IN_REVIEW else "",
            **seen,
        )
    return True  # nothing of the comment's changed: the item alone opens again


def reverse_decision(*, item_id: int, moderator, reason: str = "", note: str = "") -> Comment:
    """Turn a past approval into a rejection (a reason is needed) or a rejection into an approval.

    Goes through decide_comment, so the change has its one audit record; Conflict when the
    comment no longer stands as that decision left it (changed, deleted or reversed since).
    """
    item = ReviewItem.objects.select_related("comment").filter(pk=item_id).first()
    if item is None:
        raise ReviewItem.DoesNotExist(f"No review item {item_id}.")
    if item.decision not in (APPROVE, REJECT) or item.comment_id is None:
        raise Invalid("Only an approval or a rejection of a comment can be reversed.", field="action")
    comment = item.comment
    left = Comment.Status.APPROVED if item.decision == APPROVE else Comment.Status.REJECTED
    if comment.status != left or comment.has_waiting_edit:
        raise Conflict("The comment changed since this decision: open it and decide again.")
    action = REJECT if item.decision == APPROVE else APPROVE
    words = f"reverses the {'approval' if item.decision == APPROVE else 'rejection'} of item {item.pk}"
    return decide_comment(
        comment_id=comment.pk,
        moderator=moderator,
        action=action,
        version=comment.version,
        reason=reason,
        note="; ".join(p for p in [words, (note or "").strip()] if p),
    )


def decide_comment(
    *, comment_id: int, moderator, action: str, version: int, reason: str = "", note: str = ""
) -> Comment:
    """Approve or reject any comment from its thread (the moderator toolbar on the article page),
    judging its text at `version`, the one the moderator saw.

    Goes through the comment's open review item when it has one (so the same 409 rules apply);
    otherwise changes the comment directly, audited as the moderator.
    """
    if action not in (APPROVE, REJECT):
        raise Invalid("From the thread a comment can be approved or rejected.", field="action")
    reason, note = check_decision(action, reason, note)
    item = open_items().filter(comment_id=comment_id).first()
    if item is not None:
        decide(item_id=item.pk, moderator=moderator, action=action, version=version, reason=reason, note=note)
        return Comment.objects.get(pk=comment_id)
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise Comment.DoesNotExist(f"No comment {comment_id}.")
    to_status = Comment.Status.APPROVED if action == APPROVE else Comment.Status.REJECTED
    if comment.status == Comment.Status.DELETED:
        raise Conflict("The author deleted this comment.")
    if not (action == REJECT and version == comment.version):  # rejecting the text readers see
        _ensure_version(comment, version)
    if comment.status == to_status and not comment.has_waiting_edit:
        return comment
    explained = moderator_reason(action, reason, note, otherwise=f"{action} from the thread")
    if action == APPROVE and comment.has_waiting_edit:
        explained["edit_published"] = True
    with transaction.atomic():
        done = change_status(
            comment_id=comment.pk,
            to_status=to_status,
            actor=moderator,
            actor_name=moderator.get_username(),
            action=ACTIONS[action],
            reasons=[explained],
            publish_edit=action == APPROVE,
            expect_status={comment.status},
            expect_version=comment.review_version,
        )
        done = _judged(done, comment_id=comment.pk, version=comment.review_version)
        if to_status == Comment.Status.REJECTED or comment.status == Comment.Status.IN_REVIEW:
            notify.after_decision(
                comment_id=done.pk,
                audit_id=done.audit_record.pk,
                reason=REJECT_REASONS.get(reason, ""),
                delay=0,
            )
    return done
