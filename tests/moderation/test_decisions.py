from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from moderation import errors, selectors, services
from moderation.models import ReviewItem
from tests.factories import ReviewItemFactory, decide_item

pytestmark = pytest.mark.django_db


def _expire(item_ids) -> None:
    ReviewItem.objects.filter(pk__in=item_ids).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


# Decisions


def test_approve_publishes_the_comment_with_the_moderator_in_the_audit(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")

    decided = decide_item(item, moderator=alice, action="approve")

    comment = Comment.objects.get(pk=item.comment_id)
    record = comment.audit_records.order_by("-id").first()
    assert comment.status == "approved"
    assert (record.actor_id, record.action) == (alice.pk, "moderation.comment.approved")
    assert decided.decided_at is not None and decided.decision == "approve"


def test_reject_needs_a_reason(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    with pytest.raises(errors.Invalid) as error:
        decide_item(item, moderator=alice, action="reject")

    assert error.value.field == "reason"
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_reject_with_a_listed_reason_records_it(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    decide_item(item, moderator=alice, action="reject", reason="spam", note="link farm")

    item.refresh_from_db()
    assert Comment.objects.get(pk=item.comment_id).status == "rejected"
    assert (item.decision_reason, item.decision_note) == ("spam", "link farm")


def test_deciding_an_item_another_moderator_holds_is_a_conflict_and_changes_nothing(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")

    with pytest.raises(errors.Conflict):
        decide_item(item, moderator=bob, action="approve")

    item.refresh_from_db()
    assert item.is_open and item.claimed_by_id == alice.pk
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_deciding_an_already_decided_item_is_a_conflict(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="approve")

    with pytest.raises(errors.Conflict):
        decide_item(item, moderator=bob, action="reject", reason="spam")

    assert Comment.objects.get(pk=item.comment_id).status == "approved"


def test_an_item_whose_lease_ran_out_can_be_decided_by_another(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    services.claim(moderator=alice, queue="premod")
    _expire([item.pk])

    decide_item(item, moderator=bob, action="approve")

    assert Comment.objects.get(pk=item.comment_id).status == "approved"


def test_deciding_an_unknown_item_raises_does_not_exist(alice):
    with pytest.raises(ReviewItem.DoesNotExist):
        services.decide(item_id=999_999, version=1, moderator=alice, action="approve")


def test_escalate_moves_the_comment_to_the_escalated_queue(article, alice):
    item = ReviewItemFactory(article=article, checked=True)

    decide_item(item, moderator=alice, action="escalate", note="legal should look")

    escalated = selectors.open_items("escalated").get()
    assert escalated.comment_id == item.comment_id
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"
    assert not selectors.open_items("premod").exists()


def test_escalating_an_escalated_item_is_a_conflict(article, alice):
    item = ReviewItemFactory(article=article, checked=True, queue="escalated", reason="escalated")

    with pytest.raises(errors.Conflict):
        decide_item(item, moderator=alice, action="escalate")


# Undo


def test_undo_within_the_window_restores_the_status_and_reopens_the_item(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="reject", reason="abuse")

    undone = services.undo_last(moderator=alice)

    assert undone.pk == item.pk and undone.is_open
    assert undone.claimed_by_id == alice.pk
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_undo_of_an_escalation_removes_the_escalated_item(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="escalate")

    services.undo_last(moderator=alice)

    assert not selectors.open_items("escalated").exists()
    assert selectors.open_items("premod").get().pk == item.pk


def test_undo_after_the_window_is_a_conflict(article, alice):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="approve")
    ReviewItem.objects.filter(pk=item.pk).update(decided_at=timezone.now() - timedelta(seconds=11))

    with pytest.raises(errors.Conflict):
        services.undo_last(moderator=alice)

    assert Comment.objects.get(pk=item.comment_id).status == "approved"


def test_undo_takes_back_only_ones_own_decision(article, alice, bob):
    item = ReviewItemFactory(article=article, checked=True)
    decide_item(item, moderator=alice, action="approve")

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
