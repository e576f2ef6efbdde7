"""The pipeline with real worker processes, the real Redis and PostgreSQL: nothing lost, nothing twice."""

import json
import os
import signal
import threading
import urllib.request  # noqa: S310 - requests go to the live test server only

import psycopg
import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from comments.models import AuditRecord, Comment
from comments.services import post_comment
from moderation.tasks import sweep_pending
from tests.conftest import broker_at, wait_for
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.integration


def _decided(comment_ids) -> bool:
    return not Comment.objects.filter(pk__in=comment_ids, status="pending").exists()


def test_comment_saved_while_the_broker_is_unreachable_is_approved_once_it_is_back(
    celery_worker_factory, django_capture_on_commit_callbacks, settings
):
    article, author = ArticleFactory(), UserFactory()
    with (
        broker_at("redis://127.0.0.1:1/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):  # nothing listens there
        comment = post_comment(article=article, author=author, body="Saved while Redis was away.")
    assert Comment.objects.get(pk=comment.pk).status == "pending"

    celery_worker_factory()
    settings.MODERATION_SWEEP_AFTER_SECONDS = 0
    sweep_pending()  # what beat runs; the worker process then decides the re-queued comment

    wait_for(
        lambda: Comment.objects.get(pk=comment.pk).status == "approved",
        message="the swept comment to be approved",
    )
    assert AuditRecord.objects.filter(comment=comment).count() == 1


def test_worker_killed_mid_task_leaves_nothing_stuck_or_decided_twice(celery_worker_factory, postgres):
    article, author = ArticleFactory(), UserFactory()
    comment = Comment.objects.create(
        article=article, author=author, body="Hold on", body_html="<p>Hold on</p>"
    )
    db = settings.DATABASES["default"]
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": db["NAME"],
    }
    # Hold the comment's row lock from outside, so the worker's task stops in the middle,
    # waiting for it; then kill the worker's child process with SIGKILL.
    blocker = psycopg.connect(**params, autocommit=False)
    watcher = psycopg.connect(**params, autocommit=True)  # sees pg_stat_activity as it is now
    try:
        blocker.execute("SELECT id FROM comments_comment WHERE id = %s FOR UPDATE", [comment.pk])
        worker = celery_worker_factory(concurrency=1)
        from moderation.tasks import check_comment

        check_comment.delay(comment.pk, comment.version)
        wait_for(
            lambda: watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s",
                [db["NAME"]],
            ).fetchone()[0],
            message="the task to wait on the row lock",
        )
        children = worker.children()
        assert children
        for child in children:
            os.kill(child, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()
        watcher.close()

    wait_for(lambda: _decided([comment.pk]), timeout=40, message="the redelivered task to decide the comment")
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert AuditRecord.objects.filter(comment=comment).count() == 1


def test_two_hundred_comments_posted_concurrently_are_each_decided_exactly_once(
    celery_worker_factory, live_server, settings
):
    settings.COMMENT_RATE_LIMIT = settings.COMMENT_IP_RATE_LIMIT = 1000
    ArticleFactory(slug="busy")
    tokens = [Token.objects.create(user=UserFactory()).key for _ in range(20)]
    celery_worker_factory(concurrency=2)
    celery_worker_factory(concurrency=2)
    ids, errors = [], []
    lock = threading.Lock()

    def poster(n: int) -> None:
        for k in range(10):
            request = urllib.request.Request(
                f"{live_server.url}/api/v1/articles/busy/comments/",
                data=json.dumps({"body": f"Comment {n}-{k} on the story."}).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Token {tokens[n]}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response, lock:
                    ids.append(json.load(response)["id"])
            except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(ids) == 200
    wait_for(lambda: _decided(ids), timeout=90, message="all 200 comments to be decided")
    counts = AuditRecord.objects.filter(comment_id__in=ids).values_list("comment_id", flat=True)
    assert sorted(counts) == sorted(ids)


def test_the_harm_model_loads_once_in_each_worker_process(celery_worker, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comments = [post_comment(article=article, author=UserFactory(), body=f"Point {n}.") for n in range(8)]

    wait_for(lambda: _decided([c.pk for c in comments]), message="every comment to be decided")

    loads = [line for line in celery_worker.log.read_text().splitlines() if "loading the harm model" in line]
    assert sorted(int(line.rsplit(" ", 1)[1]) for line in loads) == sorted(celery_worker.children())
