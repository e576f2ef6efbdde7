from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.services import NotAllowed, post_comment
from moderation import errors, selectors, services
from moderation.models import ReviewItem
from tests.factories import ArticleFactory, ReviewItemFactory, clock, make_comment

pytestmark = pytest.mark.django_db


# Sanctions


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

    with clock(sanction.until + timedelta(seconds=1)):
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
