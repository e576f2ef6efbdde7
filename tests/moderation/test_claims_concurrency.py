"""Ten moderators claim from the same queue at once, each on its own database connection."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from comments.models import Comment
from moderation import services
from moderation.models import ReviewItem
from moderation.services import claims
from tests.factories import ArticleFactory, UserFactory, moderator

MODERATORS = 10


def _fill(count: int) -> list[int]:
    article, author = ArticleFactory(), UserFactory()
    comments = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                author=author,
                body=f"Held {n}",
                body_html=f"<p>Held {n}</p>",
                status="in_review",
            )
            for n in range(count)
        ]
    )
    start = timezone.now() - timedelta(hours=1)
    ReviewItem.objects.bulk_create([ReviewItem(comment=c, queue="premod", reason="links") for c in comments])
    # Distinct ages, so "oldest first" is well defined.
    for n, pk in enumerate(ReviewItem.objects.order_by("id").values_list("pk", flat=True)):
        ReviewItem.objects.filter(pk=pk).update(created_at=start + timedelta(seconds=n))
    return list(ReviewItem.objects.order_by("created_at", "id").values_list("pk", flat=True))


def _claim_at_once(moderators, *, count: int) -> dict[int, list[int]]:
    """Every moderator claims in its own thread and connection, released together by a barrier."""
    barrier = threading.Barrier(len(moderators))
    claimed: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def work(user) -> None:
        try:
            barrier.wait(timeout=30)
            claimed[user.pk] = [i.pk for i in services.claim(moderator=user, queue="premod", count=count)]
        except BaseException as error:  # reported by the test thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(user,)) for user in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return claimed


def _assert_held_once(claimed: dict[int, list[int]]) -> None:
    every = [pk for pks in claimed.values() for pk in pks]
    assert len(every) == len(set(every)), "an item was handed to two moderators"
    holders = dict(ReviewItem.objects.filter(pk__in=every).values_list("pk", "claimed_by_id"))
    for user_id, pks in claimed.items():
        assert all(holders[pk] == user_id for pk in pks)


def _ten_moderators_claim_150_items() -> None:
    item_ids = _fill(150)
    moderators = [moderator(username=f"mod{n}") for n in range(MODERATORS)]

    first = _claim_at_once(moderators, count=10)

    assert sorted(len(pks) for pks in first.values()) == [10] * MODERATORS
    _assert_held_once(first)
    assert sorted(pk for pks in first.values() for pk in pks) == item_ids[:100]

    # Everyone asks for 5 more at once: exactly the 50 left, still one holder each.
    second = _claim_at_once(moderators, count=15)

    _assert_held_once(second)
    assert sorted(pk for pks in second.values() for pk in pks) == item_ids
    assert ReviewItem.objects.filter(claimed_by__isnull=True).count() == 0


def test_ten_moderators_claiming_at_once_on_postgresql_never_share_an_item(transactional_db, postgres):
    _ten_moderators_claim_150_items()


def test_ten_moderators_claiming_at_once_on_sqlite_never_share_an_item(transactional_db):
    # SQLite has no SKIP LOCKED: claims take the conditional-update path, serialized by the
    # IMMEDIATE transactions config/settings.py asks for.
    if connection.vendor != "sqlite":
        # Not a missing service: this run chose another database; CI's SQLite pass runs it.
        pytest.skip("SQLite's path: runs in the SQLite pass (DATABASE_URL=sqlite:... or unset)")
    _ten_moderators_claim_150_items()


@pytest.mark.django_db
def test_claim_one_by_one_does_not_retake_an_item_taken_since_it_was_read():
    first, second, third = _fill(3)
    alice, bob = moderator(username="alice"), moderator(username="bob")
    now = timezone.now()
    until = now + timedelta(minutes=5)
    # What alice read before bob's claim committed: all three looked free.
    stale = ReviewItem.objects.filter(pk__in=[first, second, third]).order_by("created_at", "id")
    ReviewItem.objects.filter(pk=first).update(claimed_by=bob, lease_expires_at=until)

    claims._claim_one_by_one(stale, moderator=alice, wanted=2, now=now, until=until)

    holders = dict(ReviewItem.objects.values_list("pk", "claimed_by_id"))
    assert holders == {first: bob.pk, second: alice.pk, third: alice.pk}
