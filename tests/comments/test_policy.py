"""Comments ask the moderation policy named in COMMENTS_POLICY; without one they refuse everything."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from comments import services
from comments.models import Comment, CommentFlag
from tests.factories import ArticleFactory, UserFactory, established_reader, make_comment

pytestmark = pytest.mark.django_db


def test_without_a_policy_nobody_may_post(settings):
    settings.COMMENTS_POLICY = ""

    with pytest.raises(services.NotAllowed, match="no moderation is configured"):
        services.post_comment(article=ArticleFactory(), author=UserFactory(), body="Hello")

    assert not Comment.objects.exists()


def test_without_a_policy_nobody_may_flag(settings):
    comment = make_comment(article=ArticleFactory())
    settings.COMMENTS_POLICY = ""

    with pytest.raises(services.NotAllowed):
        services.flag_comment(comment=comment, user=established_reader(), reason="spam")

    assert not CommentFlag.objects.exists()


def test_without_a_policy_the_system_check_fails(settings):
    settings.COMMENTS_POLICY = ""

    with pytest.raises(SystemCheckError, match="comments.E001"):
        call_command("check")


def test_a_policy_that_cannot_be_imported_fails_the_system_check(settings):
    settings.COMMENTS_POLICY = "moderation.policy.NoSuchPolicy"

    with pytest.raises(SystemCheckError, match="comments.E001"):
        call_command("check")


def test_a_committed_flag_is_weighed_by_moderation(django_capture_on_commit_callbacks):
    comment = make_comment(article=ArticleFactory())

    with django_capture_on_commit_callbacks(execute=True):
        flag = services.flag_comment(comment=comment, user=established_reader(), reason="spam")

    flag.refresh_from_db()
    assert flag.weight == 1.0 and flag.weight_reason == "an established account"
