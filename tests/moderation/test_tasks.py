"""check_comment: retried with backoff on transient errors."""

import redis

from comments.models import Comment
from moderation import services
from moderation.tasks import check_comment
from tests.conftest import fail_once
from tests.factories import ArticleFactory, make_comment


def test_check_comment_runs_again_after_a_transient_error_and_decides_once(db, monkeypatch):
    comment = make_comment(article=ArticleFactory(), status="pending")
    calls = fail_once(
        monkeypatch,
        services,
        "moderate_waiting",
        redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
    )

    result = check_comment.apply(args=[comment.pk, comment.version], throw=False)

    assert result.successful()
    assert len(calls) == 2
    assert Comment.objects.get(pk=comment.pk).status == "approved"
