"""check_comment: retried with backoff on transient errors."""

import redis

from comments.models import Comment
from moderation import services
from moderation.tasks import check_comment
from tests.factories import ArticleFactory, make_comment


def test_check_comment_runs_again_after_a_transient_error_and_decides_once(db, monkeypatch):
    comment = make_comment(article=ArticleFactory(), status="pending")
    real, calls = services.moderate_waiting, []

    def fails_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return real(**kwargs)

    monkeypatch.setattr(services, "moderate_waiting", fails_once)

    result = check_comment.apply(args=[comment.pk, comment.version], throw=False)

    assert result.successful()
    assert len(calls) == 2
    assert Comment.objects.get(pk=comment.pk).status == "approved"
