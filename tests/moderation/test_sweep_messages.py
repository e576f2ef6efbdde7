"""The sweep re-queues comments left pending with one message per batch, not one per comment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from config.celery import app
from moderation.services import BATCH
from moderation.tasks import sweep_pending
from tests.conftest import purge_queues
from tests.factories import ArticleFactory, make_comment

pytestmark = pytest.mark.integration


def test_sweep_sends_one_message_per_batch_of_stale_comments(db, redis_client, settings):
    settings.MODERATION_SWEEP_AFTER_SECONDS = 60
    article = ArticleFactory()
    for n in range(2 * BATCH + 1):
        make_comment(article=article, body=f"Left pending {n}.", status="pending")
    Comment.objects.update(status_changed_at=timezone.now() - timedelta(minutes=5))
    purge_queues(redis_client)
    app.conf.task_always_eager = False  # to the real broker (the autouse fixture restores it)

    assert sweep_pending() == 2 * BATCH + 1

    assert redis_client.llen("moderation") == 3
    purge_queues(redis_client)
