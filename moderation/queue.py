"""The review queue, the moderator's side: claims under leases, decisions, undo, sanctions.

No two moderators ever hold the same item: a claim takes free items with
`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, and with one conditional UPDATE per item
elsewhere (SQLite), so whichever transaction comes second finds the item taken. A decision locks
its item and refuses (Conflict, 409 in the API) one that another moderator holds or that is
already decided. Every decision writes its audit record through comments.services.change_status.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Exists, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from comments.models import AuditRecord, Comment, CommentFlag
from comments.services import change_status, record_event

from . import notify
from .models import ModeratorNote, ReviewItem, Sanction

log = logging.getLogger(__name__)

MODERATORS_GROUP = "Moderators"

# What a moderator may give as the reason for a rejection; the author is told the phrase.
REJECT_REASONS = {
    "spam": "it is spam or advertising",
    "abuse": "it contains abusive or hateful language",
    "harassment": "it attacks another person",
    "off_topic": "it is off topic",
    "misinformation": "it spreads false or misleading information",
    "personal_data": "it shares someone's personal information",
    "other": "it breaks our community rules",
}

APPROVE, REJECT, ESCALATE = ReviewItem.Decision.values


class QueueError(Exception):
    """A request the queue cannot carry out; `status` is the HTTP status the API answers with."""

    status = 400


class Conflict(QueueError):
    status = 409


class Invalid(QueueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def is_moderator(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=MODERATORS_GROUP).exists())
    )


def _lease_until(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.MODERATION_LEASE_SECONDS)


def open_items(queue: str | None = None):
    items = ReviewItem.objects.filter(decided_at__isnull=True)
    return items.filter(queue=queue) if queue else items


def detailed(items: QuerySet) -> QuerySet:
    """Items with everything a moderator reads to decide them, in a constant number of queries.

    `checks` is the reasons list of the comment's latest system audit record (why the checks
    held it, or the flags that reported it); `escalation_note` the words of whoever escalated it.
    """
    latest_checks = (
        AuditRecord.objects.filter(comment=OuterRef("comment"), actor_name__startswith="system")
        .order_by("-id")
        .values("reasons")[:1]
    )
    escalation_note = (
        ReviewItem.objects.filter(comment=OuterRef("comment"), decision=ESCALATE)
        .order_by("-decided_at", "-id")
        .values("decision_note")[:1]
    )
    return (
        items.select_related(
            "comment__article", "comment__author", "comment__parent__author", "claimed_by", "decided_by"
        )
        .annotate(
            checks=Subquery(latest_checks, output_field=JSONField()),
            escalation_note=Subquery(escalation_note),
        )
        .prefetch_related(
            Prefetch("comment__flags", queryset=CommentFlag.objects.order_by("created_at", "id")),
            "comment__revisions",
        )
    )


def review_queue(
    *,
    queue: str,
    article_slug: str = "",
    reason: str = "",
    after: tuple[datetime, int] | None = None,
    limit: int = 20,
) -> list[ReviewItem]:
    """A page of a queue's open items, oldest first, after the (created_at, id) of `after`.

    `reason` matches the check that held the item or the reason of any reader flag on it.
    """
    if queue not in ReviewItem.Queue.values:
        raise Invalid(f"Unknown queue {queue!r}.", field="queue")
    items = open_items(queue)
    if article_slug:
        items = items.filter(comment__article__slug=article_slug)
    if reason:
        flagged = CommentFlag.objects.filter(comment=OuterRef("comment"), reason=reason)
        items = items.filter(Q(reason=reason) | Exists(flagged))
    if after is not None:
        at, pk = after
        items = items.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
    return list(detailed(items.order_by("created_at", "id"))[:limit])


def _free(queue: str, now: datetime):
    return open_items(queue).filter(Q(claimed_by__isnull=True) | Q(lease_expires_at__lte=now))


def claim(*, moderator, queue: str, count: int | None = None) -> list[ReviewItem]:
    """Lease the next free items of a queue (oldest first) to the moderator, up to `count` held.

    Items the moderator already holds in the queue count towards `count` and have their lease
    renewed. Returns every item of the queue the moderator now holds, oldest first.
    """
    if queue not in ReviewItem.Queue.values:
        raise Invalid(f"Unknown queue {queue!r}.", field="queue")
    count = settings.MODERATION_CLAIM_COUNT if count is None else count
    if not 1 <= count <= 100:
        raise Invalid("Claim between 1 and 100 items at a time.", field="count")
    now = timezone.now()
    until = _lease_until(now)
    with transaction.atomic():
        held = open_items(queue).filter(claimed_by=moderator, lease_expires_at__gt=now)
        wanted = count - held.update(lease_expires_at=until)
        if wanted > 0:
            if connection.features.has_select_for_update_skip_locked:
                ids = list(claimable(queue=queue, now=now, wanted=wanted))
                ReviewItem.objects.filter(pk__in=ids).update(claimed_by=moderator, lease_expires_at=until)
            else:
                free = _free(queue, now).order_by("created_at", "id")
                _claim_one_by_one(free, moderator=moderator, wanted=wanted, now=now, until=until)
        return list(
            open_items(queue)
            .filter(claimed_by=moderator, lease_expires_at=until)
            .select_related("comment")
            .order_by("created_at", "id")
        )


def claimable(*, queue: str, now: datetime, wanted: int) -> QuerySet:
    """The ids of the next free items, locked and skipping rows another claim has locked.

    It walks the partial index `review_open_by_age` (queue, created_at, id) of open items and
    stops after `wanted` rows, so its cost does not grow with the queue (bench/claims.py).
    """
    free = _free(queue, now).order_by("created_at", "id")
    return free.select_for_update(skip_locked=True).values_list("pk", flat=True)[:wanted]


def _claim_one_by_one(free, *, moderator, wanted: int, now: datetime, until: datetime) -> None:
    """Without SKIP LOCKED: each UPDATE takes an item only if it is still free when it runs."""
    taken = 0
    for pk in free.values_list("pk", flat=True)[: wanted * 4]:
        taken += (
            _free_by_pk(pk, now).update(claimed_by=moderator, lease_expires_at=until)  # 1 or 0
        )
        if taken == wanted:
            return


def _free_by_pk(pk: int, now: datetime):
    return ReviewItem.objects.filter(pk=pk, decided_at__isnull=True).filter(
        Q(claimed_by__isnull=True) | Q(lease_expires_at__lte=now)
    )


def renew(*, moderator) -> int:
    """Extend the lease on every item the moderator holds; how many."""
    now = timezone.now()
    return (
        open_items()
        .filter(claimed_by=moderator, lease_expires_at__gt=now)
        .update(lease_expires_at=_lease_until(now))
    )


def release(*, moderator, item_ids: list[int] | None = None) -> int:
    """Give back items the moderator holds (all of them without `item_ids`)."""
    items = open_items().filter(claimed_by=moderator)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    return items.update(claimed_by=None, lease_expires_at=None)


def release_expired() -> int:
    """Free the items whose lease ran out (run every minute, and implied by every claim)."""
    return (
        open_items()
        .filter(claimed_by__isnull=False, lease_expires_at__lte=timezone.now())
        .update(claimed_by=None, lease_expires_at=None)
    )


def _moderator_reason(action: str, reason: str, note: str, *, otherwise: str, **extra) -> dict:
    """A moderator's decision as an audit reason: the reject reason's words and the note."""
    words = f"{reason}: {REJECT_REASONS[reason]}" if reason in REJECT_REASONS else ""
    explanation = "; ".join(p for p in [words, note] if p) or otherwise
    return {"name": "moderator", "verdict": action, "score": None, "explanation": explanation, **extra}


def _check_decision(action: str, reason: str, note: str) -> tuple[str, str]:
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


class Changed(Conflict):
    """The comment's text changed since the moderator saw it; the decision would judge unseen text."""


def _ensure_version(comment: Comment, version: int) -> None:
    if comment.review_version != version:
        raise Changed(
            f"The comment changed since you saw version {version}: read version "
            f"{comment.review_version} and decide again."
        )


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
    reason, note = _check_decision(action, reason, note)
    now = timezone.now()
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise ReviewItem.DoesNotExist(f"No review item {item_id}.")
        if not item.is_open:
            raise Conflict("This item was already decided.")
        if item.claimed_by_id not in (None, moderator.pk) and item.lease_expires_at > now:
            raise Conflict("Another moderator holds this item.")
        if action == ESCALATE and item.queue == ReviewItem.Queue.ESCALATED:
            raise Conflict("This item is already escalated.")
        comment = Comment.objects.select_for_update().get(pk=item.comment_id)
        _ensure_version(comment, version)
        status_before = comment.status
        explained = _moderator_reason(
            action,
            reason,
            note,
            otherwise=f"{action} from the {item.queue} queue",
            queue=item.queue,
            item=item.pk,
        )
        record = _apply(item, comment, moderator=moderator, action=action, explained=explained)
        _close(
            item, moderator=moderator, action=action, reason=reason, note=note, status_before=status_before
        )
        if action == ESCALATE:
            ReviewItem.objects.create(
                comment=comment, queue=ReviewItem.Queue.ESCALATED, reason="escalated", for_edit=item.for_edit
            )
        renew(moderator=moderator)
        if record is not None and action != ESCALATE:
            notify.after_decision(
                comment_id=comment.pk,
                audit_id=record.pk,
                reason=REJECT_REASONS.get(reason, ""),
                delay=settings.MODERATION_UNDO_SECONDS,
            )
    log.info("%s: %s on item %s (comment %s)", moderator.get_username(), action, item.pk, item.comment_id)
    return item


def _apply(item: ReviewItem, comment: Comment, *, moderator, action: str, explained: dict):
    """The comment's side of a decision: its one audit record (None for a deleted comment)."""
    who = {"comment_id": comment.pk, "actor": moderator, "actor_name": moderator.get_username()}
    if action == ESCALATE:
        return record_event(action="moderation.comment.escalated", reasons=[explained], **who).audit_record
    if comment.status == Comment.Status.DELETED:
        return None
    edit_only = item.for_edit and comment.status == Comment.Status.APPROVED
    if action == REJECT and edit_only:
        return record_event(
            action=notify.EDIT_REJECTED, reasons=[explained], edit_status=Comment.EditStatus.REJECTED, **who
        ).audit_record
    if action == APPROVE and comment.has_waiting_edit:
        explained["edit_published"] = True
    approved = action == APPROVE
    return change_status(
        to_status=Comment.Status.APPROVED if approved else Comment.Status.REJECTED,
        action=("moderation.edit.approved" if edit_only else "moderation.comment.approved")
        if approved
        else "moderation.comment.rejected",
        reasons=[explained],
        publish_edit=approved,
        **who,
    ).audit_record


def _close(item: ReviewItem, *, moderator, action: str, reason: str, note: str, status_before: str) -> None:
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
    _check_decision(action, reason, note)
    results = []
    for item_id, version in dict(items).items():
        try:
            decide(
                item_id=item_id, moderator=moderator, action=action, version=version, reason=reason, note=note
            )
        except ReviewItem.DoesNotExist:
            results.append(BulkResult(item_id, False, 404, "No such item."))
        except QueueError as error:
            results.append(BulkResult(item_id, False, error.status, str(error)))
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
        comment = Comment.objects.select_for_update().get(pk=item.comment_id)
        last = comment.audit_records.order_by("-id").first()
        if last is None or last.actor_id != moderator.pk or last.action.endswith(".undone"):
            raise Conflict("The comment changed since your decision; it cannot be undone.")
        if any(reason.get("edit_published") for reason in last.reasons):
            raise Conflict("A published edit cannot be undone: reject the comment if it must go.")
        undone = {"name": "moderator", "verdict": "undo", "score": None, "item": item.pk}
        if item.decision == ESCALATE:
            escalated = open_items(ReviewItem.Queue.ESCALATED).filter(comment=comment).first()
            if escalated is None or escalated.claimed_by_id is not None:
                raise Conflict("Another moderator already took the escalated item.")
            escalated.delete()
            record_event(
                comment_id=comment.pk,
                actor=moderator,
                actor_name=moderator.get_username(),
                action="moderation.escalation.undone",
                reasons=[{**undone, "explanation": "escalation undone"}],
            )
        elif last.action == notify.EDIT_REJECTED:
            record_event(
                comment_id=comment.pk,
                actor=moderator,
                actor_name=moderator.get_username(),
                action="moderation.decision.undone",
                reasons=[{**undone, "explanation": "rejection of the edit undone"}],
                edit_status=Comment.EditStatus.IN_REVIEW,
            )
        elif item.status_before and comment.status != item.status_before:
            change_status(
                comment_id=comment.pk,
                to_status=item.status_before,
                actor=moderator,
                actor_name=moderator.get_username(),
                action="moderation.decision.undone",
                reasons=[
                    {
                        "name": "moderator",
                        "verdict": "undo",
                        "score": None,
                        "explanation": f"{item.decision} undone",
                        "item": item.pk,
                    }
                ],
                hold_reason=comment.hold_reason if item.status_before == Comment.Status.IN_REVIEW else "",
            )
        item.decided_at = item.decided_by = None
        item.decision = item.decision_reason = item.decision_note = item.status_before = ""
        item.claimed_by, item.lease_expires_at = moderator, _lease_until(now)
        item.save()
    return item


def reject_all_pending_of(*, author, moderator, reason: str = "spam", note: str = "") -> int:
    """Reject every comment of the author still pending or in review; how many were rejected."""
    reason, note = _check_decision(REJECT, reason, note)
    rejected = 0
    ids = list(
        Comment.objects.filter(
            author=author, status__in=[Comment.Status.PENDING, Comment.Status.IN_REVIEW]
        ).values_list("pk", flat=True)
    )
    for comment_id in ids:
        with transaction.atomic():
            item = open_items().select_for_update().filter(comment_id=comment_id).first()
            if (
                item is not None
                and item.claimed_by_id not in (None, moderator.pk)
                and item.lease_expires_at > timezone.now()
            ):
                continue  # another moderator is looking at it right now
            explained = _moderator_reason(REJECT, reason, note, otherwise="")
            explained["explanation"] = (
                f"all pending comments of {author.get_username()} rejected; {explained['explanation']}"
            )
            done = change_status(
                comment_id=comment_id,
                to_status=Comment.Status.REJECTED,
                actor=moderator,
                actor_name=moderator.get_username(),
                action="moderation.comment.rejected",
                reasons=[explained],
                expect_status={Comment.Status.PENDING, Comment.Status.IN_REVIEW},
            )
            if done is None:
                continue
            record = done.audit_record
            if item is not None:
                _close(
                    item,
                    moderator=moderator,
                    action=REJECT,
                    reason=reason,
                    note=note,
                    status_before=record.from_status,
                )
            notify.after_decision(
                comment_id=comment_id, audit_id=record.pk, reason=REJECT_REASONS[reason], delay=0
            )
            rejected += 1
    return rejected


# Sanctions


def active_sanctions(user, now: datetime | None = None):
    return Sanction.objects.filter(user=user).active(now)


def apply_sanction(*, user, moderator, kind: str, reason: str, until: datetime | None = None) -> Sanction:
    """Ban, suspend until a time, or pre-moderate a commenter. A ban also has the worker reject
    the commenter's comments still waiting (pending or in review)."""
    if kind not in Sanction.Kind.values:
        raise Invalid("The kind must be ban, suspend or premod.", field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Give a reason for the sanction.", field="reason")
    if len(reason) > 500:
        raise Invalid("Keep the reason under 500 characters.", field="reason")
    now = timezone.now()
    if kind == Sanction.Kind.SUSPEND and until is None:
        raise Invalid("A suspension needs an end time.", field="until")
    if until is not None and until <= now:
        raise Invalid("The end time must be in the future.", field="until")
    if user.pk == moderator.pk:
        raise Invalid("You cannot sanction yourself.", field="user")
    if user.is_staff or is_moderator(user):
        raise Invalid("Staff and moderators cannot be sanctioned here.", field="user")
    with transaction.atomic():
        sanction = Sanction.objects.create(
            user=user, kind=kind, until=until, reason=reason, created_by=moderator
        )
        if kind == Sanction.Kind.BAN:
            from .tasks import reject_comments_of_banned

            user_id = user.pk
            transaction.on_commit(lambda: _queue_safely(reject_comments_of_banned, user_id))
    log.info("%s: %s on user %s", moderator.get_username(), kind, user.pk)
    return sanction


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


BANNED_AUTHOR = {
    "name": "author_standing",
    "verdict": "reject",
    "score": 1.0,
    "explanation": "the author is banned",
}


def reject_comments_of_banned_author(user_id: int) -> int:
    """The worker's side of a ban: reject what the author still has waiting, audited as system."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not active_sanctions(user).filter(kind=Sanction.Kind.BAN).exists():
        return 0
    rejected = 0
    waiting = Comment.objects.filter(
        author_id=user_id, status__in=[Comment.Status.PENDING, Comment.Status.IN_REVIEW]
    ).values_list("pk", flat=True)
    for comment_id in list(waiting):
        with transaction.atomic():
            done = change_status(
                comment_id=comment_id,
                to_status=Comment.Status.REJECTED,
                actor_name="system:author_standing",
                action="moderation.comment.rejected",
                reasons=[BANNED_AUTHOR],
                expect_status={Comment.Status.PENDING, Comment.Status.IN_REVIEW},
            )
            if done is not None:
                status_before = done.audit_records.order_by("-id").values_list("from_status", flat=True)[0]
                open_items().filter(comment_id=comment_id).update(
                    decided_at=timezone.now(), decision=REJECT, decision_reason="other",
                    decision_note="the author is banned", status_before=status_before,
                    claimed_by=None, lease_expires_at=None,
                )  # fmt: skip
                rejected += 1
    edits = Comment.objects.filter(
        author_id=user_id, edit_status__in=[Comment.EditStatus.PENDING, Comment.EditStatus.IN_REVIEW]
    ).values_list("pk", flat=True)
    for comment_id in list(edits):
        with transaction.atomic():
            record_event(
                comment_id=comment_id,
                actor_name="system:author_standing",
                action=notify.EDIT_REJECTED,
                reasons=[BANNED_AUTHOR],
                edit_status=Comment.EditStatus.REJECTED,
            )
            open_items().filter(comment_id=comment_id, for_edit=True).update(
                decided_at=timezone.now(), decision=REJECT, decision_reason="other",
                decision_note="the author is banned", status_before=Comment.Status.APPROVED,
                claimed_by=None, lease_expires_at=None,
            )  # fmt: skip
            rejected += 1
    return rejected


def author_history(user, *, last: int = 5) -> dict:
    """What a moderator sees of an author: counts by status, sanctions, last comments."""
    counts = dict(
        Comment.objects.filter(author=user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "id": user.pk,
        "username": user.get_username(),
        "joined": user.date_joined,
        "approved": counts.get(Comment.Status.APPROVED, 0),
        "rejected": counts.get(Comment.Status.REJECTED, 0),
        "in_review": counts.get(Comment.Status.IN_REVIEW, 0),
        "pending": counts.get(Comment.Status.PENDING, 0),
        "sanctions": list(
            Sanction.objects.filter(user=user)
            .select_related("created_by", "lifted_by")
            .order_by("-created_at", "-id")[:20]
        ),
        "active_sanctions": list(active_sanctions(user).select_related("created_by", "lifted_by")),
        "last_comments": list(
            Comment.objects.filter(author=user).select_related("article").order_by("-created_at")[:last]
        ),
        "notes": list(ModeratorNote.objects.filter(user=user).select_related("created_by")[:20]),
    }


def add_note(*, user, moderator, text: str) -> ModeratorNote:
    """Keep a moderator's note on a commenter (seen by moderators on every item of theirs)."""
    text = (text or "").strip()
    if not text:
        raise Invalid("Write the note.", field="text")
    if len(text) > 1000:
        raise Invalid("Keep the note under 1,000 characters.", field="text")
    return ModeratorNote.objects.create(user=user, text=text, created_by=moderator)


def reverse_decision(*, item_id: int, moderator, reason: str = "", note: str = "") -> Comment:
    """Turn a past approval into a rejection (a reason is needed) or a rejection into an approval.

    Goes through decide_comment, so the change has its one audit record; Conflict when the
    comment no longer stands as that decision left it (changed, deleted or reversed since).
    """
    item = ReviewItem.objects.select_related("comment").filter(pk=item_id).first()
    if item is None:
        raise ReviewItem.DoesNotExist(f"No review item {item_id}.")
    if item.decision not in (APPROVE, REJECT):
        raise Invalid("Only an approval or a rejection can be reversed.", field="action")
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
    reason, note = _check_decision(action, reason, note)
    item = open_items().filter(comment_id=comment_id).first()
    if item is not None:
        decide(item_id=item.pk, moderator=moderator, action=action, version=version, reason=reason, note=note)
        return Comment.objects.get(pk=comment_id)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None:
            raise Comment.DoesNotExist(f"No comment {comment_id}.")
        to_status = Comment.Status.APPROVED if action == APPROVE else Comment.Status.REJECTED
        if comment.status == Comment.Status.DELETED:
            raise Conflict("The author deleted this comment.")
        if not (action == REJECT and version == comment.version):  # rejecting the text readers see
            _ensure_version(comment, version)
        if comment.status == to_status and not comment.has_waiting_edit:
            return comment
        status_before = comment.status
        explained = _moderator_reason(action, reason, note, otherwise=f"{action} from the thread")
        if action == APPROVE and comment.has_waiting_edit:
            explained["edit_published"] = True
        comment = change_status(
            comment_id=comment.pk,
            to_status=to_status,
            actor=moderator,
            actor_name=moderator.get_username(),
            action=f"moderation.comment.{'approved' if action == APPROVE else 'rejected'}",
            reasons=[explained],
            publish_edit=action == APPROVE,
        )
        if to_status == Comment.Status.REJECTED or status_before == Comment.Status.IN_REVIEW:
            notify.after_decision(
                comment_id=comment.pk,
                audit_id=comment.audit_record.pk,
                reason=REJECT_REASONS.get(reason, ""),
                delay=0,
            )
    return comment
