from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import errors, services
from moderation.models import ReviewItem
from tests.factories import ReviewItemFactory

pytestmark = pytest.mark.django_db


def _expire(item_ids) -> None:
    ReviewItem.objects.filter(pk__in=item_ids).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


# Claims and leases


def test_claim_takes_the_oldest_items_up_to_the_count(article, alice):
    items = [ReviewItemFactory(article=article, checked=True, age_minutes=10 - n) for n in range(5)]

    claimed = services.claim(moderator=alice, queue="premod", count=3)

    assert [i.pk for i in claimed] == [i.pk for i in items[:3]]
    assert all(i.claimed_by_id == alice.pk and i.lease_expires_at > timezone.now() for i in claimed)


def test_claim_defaults_to_the_configured_count(article, alice, settings):
    settings.MODERATION_CLAIM_COUNT = 2
    for _ in range(4):
        ReviewItemFactory(article=article, checked=True)

    assert len(services.claim(moderator=alice, queue="premod")) == 2


def test_claim_takes_only_from_the_asked_queue(article, alice):
    ReviewItemFactory(article=article, checked=True, queue="reported", reason="flags")
    premod = ReviewItemFactory(article=article, checked=True)

    assert [i.pk for i in services.claim(moderator=alice, queue="premod")] == [premod.pk]


def test_items_held_by_one_moderator_are_not_claimed_by_another(article, alice, bob):
    for _ in range(4):
        ReviewItemFactory(article=article, checked=True)
    mine = services.claim(moderator=alice, queue="premod", count=3)

    theirs = services.claim(moderator=bob, queue="premod", count=3)

    assert len(theirs) == 1
    assert not {i.pk for i in mine} & {i.pk for i in theirs}


def test_claiming_again_counts_the_items_already_held(article, alice):
    for _ in range(5):
        ReviewItemFactory(article=article, checked=True)
    first = services.claim(moderator=alice, queue="premod", count=2)

    again = services.claim(moderator=alice, queue="premod", count=3)

    assert len(again) == 3
    assert {i.pk for i in first} < {i.pk for i in again}


def test_expired_lease_makes_the_item_claimable_again(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")
    _expire([item.pk])

    claimed = services.claim(moderator=bob, queue="premod")

    assert [i.pk for i in claimed] == [item.pk]
    assert claimed[0].claimed_by_id == bob.pk


def test_short_lease_runs_out_by_itself(article, alice, bob, settings):
    settings.MODERATION_LEASE_SECONDS = 0
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")

    assert [i.pk for i in services.claim(moderator=bob, queue="premod")] == [item.pk]


def test_renew_extends_the_lease(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")
    soon = timezone.now() + timedelta(seconds=5)
    ReviewItem.objects.filter(pk=item.pk).update(lease_expires_at=soon)

    assert services.renew(moderator=alice) == 1

    item.refresh_from_db()
    assert item.lease_expires_at > soon + timedelta(seconds=60)


def test_renew_does_not_revive_an_expired_lease(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")
    _expire([item.pk])

    assert services.renew(moderator=alice) == 0


def test_release_gives_back_only_the_named_items(article, alice):
    items = [ReviewItemFactory(article=article, checked=True) for _ in range(3)]
    services.claim(moderator=alice, queue="premod")

    assert services.release(moderator=alice, item_ids=[items[0].pk]) == 1

    still_held = ReviewItem.objects.filter(claimed_by=alice).values_list("pk", flat=True)
    assert sorted(still_held) == [items[1].pk, items[2].pk]


def test_release_expired_frees_only_expired_leases(article, alice, bob):
    expired, current = (
        ReviewItemFactory(article=article, checked=True),
        ReviewItemFactory(article=article, checked=True),
    )
    services.claim(moderator=alice, queue="premod", count=1)
    services.claim(moderator=bob, queue="premod", count=1)
    _expire([expired.pk])

    assert services.release_expired() == 1

    expired.refresh_from_db()
    current.refresh_from_db()
    assert expired.claimed_by_id is None and expired.lease_expires_at is None
    assert current.claimed_by_id == bob.pk


@pytest.mark.parametrize(
    "kwargs", [{"queue": "nope"}, {"queue": "premod", "count": 0}, {"queue": "premod", "count": 101}]
)
def test_claim_refuses_an_unknown_queue_or_count_out_of_range(alice, kwargs):
    with pytest.raises(errors.Invalid):
        services.claim(moderator=alice, **kwargs)
