"""Claims: leasing review items to moderators, renewing and giving them back.

No two moderators ever hold the same item: a claim takes free items with
`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, and with one conditional UPDATE per item
elsewhere (SQLite), so whichever transaction comes second finds the item taken.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..errors import Invalid
from ..models import ReviewItem
from ..selectors import open_items


def lease_until(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.MODERATION_LEASE_SECONDS)


def _free(queue: str, now: datetime, moderator=None):
    free = open_items(queue).filter(Q(claimed_by__isnull=True) | Q(lease_expires_at__lte=now))
    # An appeal is never handed to the moderator whose decision it is against.
    return free.exclude(excluded_moderator=moderator) if moderator is not None else free


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
    until = lease_until(now)
    with transaction.atomic():
        held = open_items(queue).filter(claimed_by=moderator, lease_expires_at__gt=now)
        wanted = count - held.update(lease_expires_at=until)
        if wanted > 0:
            if connection.features.has_select_for_update_skip_locked:
                ids = list(claimable(queue=queue, now=now, wanted=wanted, moderator=moderator))
                ReviewItem.objects.filter(pk__in=ids).update(claimed_by=moderator, lease_expires_at=until)
            else:
                free = _free(queue, now, moderator).order_by("created_at", "id")
                _claim_one_by_one(free, moderator=moderator, wanted=wanted, now=now, until=until)
        return list(
            open_items(queue)
            .filter(claimed_by=moderator, lease_expires_at=until)
            .select_related("comment")
            .order_by("created_at", "id")
        )


def claimable(*, queue: str, now: datetime, wanted: int, moderator=None) -> QuerySet:
    """The ids of the next free items, locked and skipping rows another claim has locked.

    It walks the partial index `review_open_by_age` (queue, created_at, id) of open items and
    stops after `wanted` rows, so its cost does not grow with the queue (bench/claims.py).
    """
    free = _free(queue, now, moderator).order_by("created_at", "id")
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
        .update(lease_expires_at=lease_until(now))
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
