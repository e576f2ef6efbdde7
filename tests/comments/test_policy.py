"""Comments read who may post from the reader's standing (accounts.Standing), and tell of a
committed flag by the flag_added signal; moderation writes the one and answers the other."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Standing
from comments import services
from comments.models import Comment, CommentFlag
from comments.signals import flag_added
from moderation.apps import _weigh_flag
from tests.factories import ArticleFactory, UserFactory, established_reader, make_comment

pytestmark = pytest.mark.django_db


def test_a_banned_standing_refuses_posts_and_flags_with_the_reason():
    reader = UserFactory()
    Standing.objects.create(user=reader, banned=True, ban_reason="Spam.")

    with pytest.raises(
        services.NotAllowed, match=r"^Your account may no longer post comments\. Reason: Spam\.$"
    ):
        services.post_comment(article=ArticleFactory(), author=reader, body="Hello")
    with pytest.raises(
        services.NotAllowed, match=r"^Your account may no longer flag comments\. Reason: Spam\.$"
    ):
        services.flag_comment(comment=make_comment(article=ArticleFactory()), user=reader, reason="spam")

    assert not Comment.objects.filter(author=reader).exists()
    assert not CommentFlag.objects.exists()


def test_a_suspension_refuses_until_it_ends_and_outlasts_a_ban_that_ended():
    reader, now = UserFactory(), timezone.now()
    until = now + timedelta(hours=2)
    Standing.objects.create(
        user=reader, banned=True, banned_until=now - timedelta(minutes=1), ban_reason="Spam",
        suspended_until=until, suspension_reason="Heated",
    )  # fmt: skip

    refusal = services.posting_refusal(reader)

    local = timezone.localtime(until)
    assert (
        refusal
        == f"Your account is suspended from commenting until {local:%d %B %Y, %H:%M %Z}. Reason: Heated."
    )
    assert services.posting_refusal(reader, action="flag").startswith(
        "Your account is suspended and may not flag comments until"
    )


def test_a_standing_whose_times_have_passed_refuses_nothing():
    reader, past = UserFactory(), timezone.now() - timedelta(seconds=1)
    Standing.objects.create(user=reader, banned=True, banned_until=past, suspended_until=past)

    assert services.post_comment(article=ArticleFactory(), author=reader, body="Back").status == "pending"


def test_asking_whether_a_reader_may_post_is_one_query(django_assert_num_queries):
    good, banned = UserFactory(), UserFactory()
    Standing.objects.create(user=banned, banned=True, ban_reason="Spam")
    # Read as a request reads them without a kept copy (a kept copy holds the standing: no query,
    # tests/test_kept_user.py), not the instances the standing was just written with.
    good, banned = (type(user).objects.get(pk=user.pk) for user in (good, banned))

    with django_assert_num_queries(1):
        assert services.posting_refusal(good) is None
    with django_assert_num_queries(1):  # the reason comes with the standing
        assert services.posting_refusal(banned)


def test_anonymous_readers_are_not_refused_here(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert services.posting_refusal(AnonymousUser()) is None


def test_a_committed_flag_is_weighed_by_moderation(django_capture_on_commit_callbacks):
    comment = make_comment(article=ArticleFactory())

    with django_capture_on_commit_callbacks(execute=True):
        flag = services.flag_comment(comment=comment, user=established_reader(), reason="spam")

    flag.refresh_from_db()
    assert flag.weight == 1.0 and flag.weight_reason == "an established account"


def test_a_flag_nobody_answers_is_kept_unweighed(django_capture_on_commit_callbacks):
    comment = make_comment(article=ArticleFactory())
    assert flag_added.disconnect(_weigh_flag, dispatch_uid="moderation.weigh_flag")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            flag = services.flag_comment(comment=comment, user=established_reader(), reason="spam")
    finally:
        flag_added.connect(_weigh_flag, dispatch_uid="moderation.weigh_flag")

    flag.refresh_from_db()
    assert flag.weight_reason == ""
