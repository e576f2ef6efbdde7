"""Putting a comment, or a sanction under appeal, in a queue for a person: notices and appeals."""

from django.db import transaction

from comments.models import Comment

from ..models import ReviewItem, Sanction
from ..selectors import open_items

Q = ReviewItem.Queue
# An item waiting in a lower queue moves up when a notice or an appeal comes in: a notice of
# illegal content goes ahead of readers' flags and held comments, an appeal ahead of everything.
RANK = {Q.PREMOD: 0, Q.REPORTED: 0, Q.NOTICES: 1, Q.ESCALATED: 2, Q.APPEALS: 3}
MAX_NOTE = 20_000  # many notices on one comment add up; each is kept whole by its sender's app


def route(
    *,
    queue: str,
    reason: str,
    note: str = "",
    comment_id: int | None = None,
    sanction_id: int | None = None,
    excluded_moderator=None,
) -> ReviewItem:
    """The comment's (or sanction's) open item, moved to `queue` when that ranks above the queue
    it waits in, else a new item there. `note` (why, in the sender's words) is added to the
    item's; `excluded_moderator` is never handed the item.

    Locks the comment's (or sanction's) row first, so two routes at once find each other's item
    rather than both opening one.
    """
    target = {"comment_id": comment_id} if comment_id is not None else {"sanction_id": sanction_id}
    model = Comment if comment_id is not None else Sanction
    with transaction.atomic():
        list(model.objects.select_for_update().filter(pk=comment_id or sanction_id).values_list("pk"))
        item = open_items().select_for_update().filter(**target).first()
        if item is None:
            return ReviewItem.objects.create(
                queue=queue,
                reason=reason,
                note=note[:MAX_NOTE],
                excluded_moderator=excluded_moderator,
                **target,
            )
        if RANK[queue] > RANK[item.queue]:
            item.queue, item.reason = queue, reason
            item.claimed_by = item.lease_expires_at = None
        item.note = "\n\n".join(part for part in [item.note, note] if part)[:MAX_NOTE]
        if excluded_moderator is not None:
            item.excluded_moderator = excluded_moderator
            if item.claimed_by_id == excluded_moderator.pk:
                item.claimed_by = item.lease_expires_at = None
        item.save(
            update_fields=["queue", "reason", "note", "claimed_by", "lease_expires_at", "excluded_moderator"]
        )
    return item
