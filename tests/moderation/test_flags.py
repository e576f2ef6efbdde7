"""Reader flags: the report and withhold thresholds, and each flagger's weight."""

import pytest
from django.test import TestCase
from rest_framework.authtoken.models import Token

from comments.models import AuditRecord, Comment, CommentFlag
from comments.services import flag_comment
from moderation.flags import flag_weight
from moderation.models import ModerationSettings, ReviewItem
from tests.factories import ArticleFactory, decide_item, established_reader, make_comment, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment():
    return make_comment(article=ArticleFactory(slug="story"), body="Visible opinion.")


def flag(comment, user=None, reason="abuse"):
    # Moderation weighs the flag once the flag is committed.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return flag_comment(comment=comment, user=user or established_reader(), reason=reason)


def public_ids(client) -> list[int]:
    return [c["id"] for c in client.get("/api/v1/articles/story/comments/").json()["results"]]


def upheld_flagger():
    """A reader whose earlier flag was upheld: the comment they flagged was rejected."""
    user = established_reader()
    earlier = make_comment(article=ArticleFactory(), status="rejected")
    CommentFlag.objects.create(comment=earlier, user=user, reason="abuse")
    return user


def dismissed_flagger():
    """A reader whose earlier flag was dismissed: a moderator approved the flagged comment."""
    user = established_reader()
    earlier = make_comment(article=ArticleFactory())
    CommentFlag.objects.create(comment=earlier, user=user, reason="abuse")
    ReviewItem.objects.create(comment=earlier, queue="reported", reason="flags")
    item = ReviewItem.objects.get(comment=earlier)
    decide_item(item, moderator=moderator(), action="approve")
    return user


def test_two_flags_change_nothing(comment, client):
    flag(comment)
    flag(comment)

    assert not ReviewItem.objects.filter(comment=comment).exists()
    assert comment.pk in public_ids(client)


def test_the_third_flag_reports_the_comment_which_stays_visible(comment, client):
    for _ in range(3):
        flag(comment)

    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    assert (item.queue, item.reason) == ("reported", "flags")
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert comment.pk in public_ids(client)
    record = AuditRecord.objects.get(comment=comment)
    assert record.action == "moderation.comment.reported"
    assert record.reasons[0]["score"] == 3.0
    assert "report threshold 3" in record.reasons[0]["explanation"]


def test_the_sixth_flag_withholds_the_comment_until_a_moderator_decides(
    comment, client, django_capture_on_commit_callbacks
):
    for _ in range(6):
        flag(comment)

    withheld = Comment.objects.get(pk=comment.pk)
    assert withheld.status == "in_review"
    assert comment.pk not in public_ids(client)
    assert ReviewItem.objects.filter(comment=comment, decided_at__isnull=True).count() == 1
    actions = list(AuditRecord.objects.filter(comment=comment).values_list("action", flat=True))
    assert actions == ["moderation.comment.reported", "moderation.comment.withheld"]

    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    with django_capture_on_commit_callbacks(execute=True):  # the public page's cache is dropped on commit
        decide_item(item, moderator=moderator(), action="approve")
    assert comment.pk in public_ids(client)


def test_flags_through_the_api_report_the_comment(comment, client):
    for _ in range(3):
        token = Token.objects.create(user=established_reader())
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                f"/api/v1/comments/{comment.pk}/flags/",
                {"reason": "spam", "note": "advert"},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token.key}",
            )
        assert response.status_code == 201

    assert ReviewItem.objects.filter(comment=comment, queue="reported").exists()


def test_flags_from_readers_whose_flags_were_upheld_count_double(comment):
    first, second = upheld_flagger(), upheld_flagger()
    assert flag_weight(first.pk) == 2.0

    flag(comment, first)
    assert not ReviewItem.objects.filter(comment=comment).exists()
    flag(comment, second)

    assert ReviewItem.objects.filter(comment=comment, queue="reported").exists()
    assert sorted(CommentFlag.objects.filter(comment=comment).values_list("weight", flat=True)) == [2.0, 2.0]


def test_flags_from_readers_whose_flags_were_mostly_rejected_count_half(comment):
    flaggers = [dismissed_flagger() for _ in range(5)]
    assert flag_weight(flaggers[0].pk) == 0.5

    for user in flaggers:
        flag(comment, user)

    # Five flags of half a weight each: 2.5, short of the report threshold of 3.
    assert not ReviewItem.objects.filter(comment=comment).exists()
    flag(comment)
    assert ReviewItem.objects.filter(comment=comment, queue="reported").exists()


def test_a_reader_with_as_many_upheld_as_dismissed_flags_counts_one():
    user = established_reader()
    CommentFlag.objects.create(
        comment=make_comment(article=ArticleFactory(), status="rejected"), user=user, reason="spam"
    )
    dismissed = make_comment(article=ArticleFactory())
    CommentFlag.objects.create(comment=dismissed, user=user, reason="spam")
    item = ReviewItem.objects.create(comment=dismissed, queue="reported", reason="flags")
    decide_item(item, moderator=moderator(), action="approve")

    assert flag_weight(user.pk) == 1.0


def test_after_a_moderator_keeps_the_comment_only_new_flags_count(comment):
    for _ in range(3):
        flag(comment)
    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    decide_item(item, moderator=moderator(), action="approve")

    flag(comment)
    flag(comment)
    assert not ReviewItem.objects.filter(comment=comment, decided_at__isnull=True).exists()
    flag(comment)
    assert ReviewItem.objects.filter(comment=comment, decided_at__isnull=True).exists()


def test_thresholds_are_read_from_the_moderation_settings(comment):
    ModerationSettings.objects.create(flags_to_report=1, flags_to_withhold=2)

    flag(comment)
    assert ReviewItem.objects.filter(comment=comment, queue="reported").exists()
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    flag(comment)
    assert Comment.objects.get(pk=comment.pk).status == "in_review"


def test_flags_on_a_comment_not_yet_public_change_nothing():
    held = make_comment(article=ArticleFactory(), status="in_review")
    for _ in range(6):
        flag(held)

    assert not ReviewItem.objects.filter(comment=held).exists()
    assert Comment.objects.get(pk=held.pk).status == "in_review"
