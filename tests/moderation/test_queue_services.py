from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.services import NotAllowed, post_comment
from moderation import errors, selectors, services
from moderation.models import ReviewItem, Sanction
from tests.factories import ArticleFactory, ReviewItemFactory, UserFactory, make_comment

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


# Decisions


def test_approve_publishes_the_comment_with_the_moderator_in_the_audit(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")

    decided = services.decide(
        item_id=item.pk, version=item.comment.review_version, moderator=alice, action="approve"
    )

    comment = Comment.objects.get(pk=item.comment_id)
    record = comment.audit_records.order_by("-id").first()
    assert comment.status == "approved"
    assert (record.actor_id, record.action) == (alice.pk, "moderation.comment.approved")
    assert decided.decided_at is not None and decided.decision == "approve"


def test_reject_needs_a_reason(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    with pytest.raises(errors.Invalid) as error:
        services.decide(
            item_id=item.pk, version=item.comment.review_version, moderator=alice, action="reject"
        )

    assert error.value.field == "reason"
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_reject_with_a_listed_reason_records_it(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    services.decide(
        item_id=item.pk,
        version=item.comment.review_version,
        moderator=alice,
        action="reject",
        reason="spam",
        note="link farm",
    )

    item.refresh_from_db()
    assert Comment.objects.get(pk=item.comment_id).status == "rejected"
    assert (item.decision_reason, item.decision_note) == ("spam", "link farm")


def test_deciding_an_item_another_moderator_holds_is_a_conflict_and_changes_nothing(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")

    with pytest.raises(errors.Conflict):
        services.decide(item_id=item.pk, version=item.comment.review_version, moderator=bob, action="approve")

    item.refresh_from_db()
    assert item.is_open and item.claimed_by_id == alice.pk
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_deciding_an_already_decided_item_is_a_conflict(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.decide(item_id=item.pk, version=item.comment.review_version, moderator=alice, action="approve")

    with pytest.raises(errors.Conflict):
        services.decide(
            item_id=item.pk,
            version=item.comment.review_version,
            moderator=bob,
            action="reject",
            reason="spam",
        )

    assert Comment.objects.get(pk=item.comment_id).status == "approved"


def test_an_item_whose_lease_ran_out_can_be_decided_by_another(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")
    _expire([item.pk])

    services.decide(item_id=item.pk, version=item.comment.review_version, moderator=bob, action="approve")

    assert Comment.objects.get(pk=item.comment_id).status == "approved"


def test_deciding_an_unknown_item_raises_does_not_exist(alice):
    with pytest.raises(ReviewItem.DoesNotExist):
        services.decide(item_id=999_999, version=1, moderator=alice, action="approve")


def test_escalate_moves_the_comment_to_the_escalated_queue(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    services.decide(
        item_id=item.pk,
        version=item.comment.review_version,
        moderator=alice,
        action="escalate",
        note="legal should look",
    )

    escalated = selectors.open_items("escalated").get()
    assert escalated.comment_id == item.comment_id
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"
    assert not selectors.open_items("premod").exists()


def test_escalating_an_escalated_item_is_a_conflict(article, alice):
    item = ReviewItemFactory(article=article, checked=True, queue="escalated", reason="escalated")

    with pytest.raises(errors.Conflict):
        services.decide(
            item_id=item.pk, version=item.comment.review_version, moderator=alice, action="escalate"
        )


# Undo


def test_undo_within_the_window_restores_the_status_and_reopens_the_item(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    services.decide(
        item_id=item.pk, version=item.comment.review_version, moderator=alice, action="reject", reason="abuse"
    )

    undone = services.undo_last(moderator=alice)

    assert undone.pk == item.pk and undone.is_open
    assert undone.claimed_by_id == alice.pk
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_undo_of_an_escalation_removes_the_escalated_item(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    services.decide(item_id=item.pk, version=item.comment.review_version, moderator=alice, action="escalate")

    services.undo_last(moderator=alice)

    assert not selectors.open_items("escalated").exists()
    assert selectors.open_items("premod").get().pk == item.pk


def test_undo_after_the_window_is_a_conflict(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    services.decide(item_id=item.pk, version=item.comment.review_version, moderator=alice, action="approve")
    ReviewItem.objects.filter(pk=item.pk).update(decided_at=timezone.now() - timedelta(seconds=11))

    with pytest.raises(errors.Conflict):
        services.undo_last(moderator=alice)

    assert Comment.objects.get(pk=item.comment_id).status == "approved"


def test_undo_takes_back_only_ones_own_decision(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.decide(item_id=item.pk, version=item.comment.review_version, moderator=alice, action="approve")

    with pytest.raises(errors.Conflict):
        services.undo_last(moderator=bob)


# Bulk


def test_bulk_decision_reports_each_item(article, alice, bob):
    free, taken, done = (
        ReviewItemFactory(article=article, checked=True),
        ReviewItemFactory(article=article, checked=True),
        ReviewItemFactory(article=article, checked=True),
    )
    services.claim(moderator=bob, queue="premod", count=1)  # takes `free`, the oldest
    services.decide(item_id=done.pk, version=done.comment.review_version, moderator=alice, action="approve")

    results = services.decide_many(
        items=[(i.pk, i.comment.version) for i in (free, taken, done)] + [(999_999, 1)],
        moderator=alice,
        action="reject",
        reason="spam",
    )

    assert [(r.item_id, r.ok, r.status) for r in results] == [
        (free.pk, False, 409),
        (taken.pk, True, 200),
        (done.pk, False, 409),
        (999_999, False, 404),
    ]
    assert Comment.objects.get(pk=taken.comment_id).status == "rejected"


# Sanctions


@pytest.fixture
def carol():
    return UserFactory(username="carol")


def test_ban_refuses_posting(article, alice, carol):
    services.apply_sanction(user=carol, moderator=alice, kind="ban", reason="spam account")

    with pytest.raises(NotAllowed):
        post_comment(article=article, author=carol, body="Let me back in")


def test_ban_has_the_worker_reject_waiting_comments(
    article, alice, carol, django_capture_on_commit_callbacks
):
    waiting = ReviewItemFactory(article=article, checked=True, author=carol)
    pending = make_comment(article=article, author=carol, status="pending")
    published = make_comment(article=article, author=carol, status="approved")

    with django_capture_on_commit_callbacks(execute=True):
        services.apply_sanction(user=carol, moderator=alice, kind="ban", reason="spam account")

    statuses = dict(Comment.objects.filter(author=carol).values_list("pk", "status"))
    assert statuses == {waiting.comment_id: "rejected", pending.pk: "rejected", published.pk: "approved"}
    assert not selectors.open_items().exists()
    assert ReviewItem.objects.get(pk=waiting.pk).status_before == "in_review"


def test_suspension_needs_an_end_time(alice, carol):
    with pytest.raises(errors.Invalid) as error:
        services.apply_sanction(user=carol, moderator=alice, kind="suspend", reason="cool off")

    assert error.value.field == "until"


def test_suspension_refuses_posting_until_it_ends(article, alice, carol):
    sanction = services.apply_sanction(
        user=carol,
        moderator=alice,
        kind="suspend",
        reason="cool off",
        until=timezone.now() + timedelta(hours=1),
    )
    with pytest.raises(NotAllowed):
        post_comment(article=article, author=carol, body="Still here")
    Sanction.objects.filter(pk=sanction.pk).update(until=timezone.now() - timedelta(seconds=1))

    assert post_comment(article=article, author=carol, body="Back again").status == "pending"


def test_premoderation_sends_the_next_comment_to_review(
    article, alice, carol, django_capture_on_commit_callbacks
):
    for n in range(3):
        make_comment(article=ArticleFactory(), author=carol, body=f"earlier {n}")
    services.apply_sanction(user=carol, moderator=alice, kind="premod", reason="watch closely")

    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(article=article, author=carol, body="Thanks for the clear reporting.")

    comment.refresh_from_db()
    assert comment.status == "in_review"
    assert selectors.open_items("premod").get().comment_id == comment.pk


def test_lifting_a_ban_lets_the_author_post_again(article, alice, carol):
    sanction = services.apply_sanction(user=carol, moderator=alice, kind="ban", reason="spam account")

    services.lift_sanction(sanction=sanction, moderator=alice)

    assert post_comment(article=article, author=carol, body="Thank you").status == "pending"


def test_lifting_twice_is_a_conflict(alice, carol):
    sanction = services.apply_sanction(user=carol, moderator=alice, kind="ban", reason="spam account")
    services.lift_sanction(sanction=sanction, moderator=alice)

    with pytest.raises(errors.Conflict):
        services.lift_sanction(sanction=sanction, moderator=alice)


def test_moderators_cannot_be_sanctioned(alice, bob):
    with pytest.raises(errors.Invalid):
        services.apply_sanction(user=bob, moderator=alice, kind="ban", reason="no")


def test_reject_all_pending_of_rejects_what_waits_and_leaves_the_rest(article, alice, carol):
    waiting = ReviewItemFactory(article=article, checked=True, author=carol)
    pending = make_comment(article=article, author=carol, status="pending")
    published = make_comment(article=article, author=carol, status="approved")

    assert services.reject_all_pending_of(author=carol, moderator=alice) == 2

    statuses = dict(Comment.objects.filter(author=carol).values_list("pk", "status"))
    assert statuses == {waiting.comment_id: "rejected", pending.pk: "rejected", published.pk: "approved"}
    assert ReviewItem.objects.get(pk=waiting.pk).decided_by_id == alice.pk


def test_reject_all_pending_of_skips_an_item_another_moderator_holds(article, alice, bob, carol):
    ReviewItemFactory(article=article, checked=True, author=carol)
    services.claim(moderator=bob, queue="premod")

    assert services.reject_all_pending_of(author=carol, moderator=alice) == 0


def test_author_history_counts_by_status(article, alice, carol):
    make_comment(article=article, author=carol, status="approved")
    make_comment(article=article, author=carol, status="rejected")
    ReviewItemFactory(article=article, checked=True, author=carol)
    services.apply_sanction(user=carol, moderator=alice, kind="premod", reason="watch")

    history = selectors.author_history(carol)

    assert (history["approved"], history["rejected"], history["in_review"]) == (1, 1, 1)
    assert [s.kind for s in history["active_sanctions"]] == ["premod"]
    assert len(history["last_comments"]) == 3
