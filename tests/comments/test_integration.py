"""Comments through the real Redis and a real Celery worker process on the real database."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comments.models import AuditRecord, Comment
from tests.conftest import wait_for
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.integration


def test_comment_posted_through_the_api_is_approved_by_a_worker_process(celery_worker):
    ArticleFactory(slug="story")
    token = Token.objects.create(user=UserFactory()).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.post("/api/v1/articles/story/comments/", {"body": "Through the worker"}, format="json")

    assert response.status_code == 201
    comment_id = response.json()["id"]
    wait_for(
        lambda: Comment.objects.filter(pk=comment_id, status="approved").exists(),
        message="the worker to approve the comment",
    )
    assert AuditRecord.objects.filter(comment_id=comment_id).count() == 1
    results = APIClient().get("/api/v1/articles/story/comments/").json()["results"]
    assert [c["body"] for c in results] == ["Through the worker"]


@pytest.mark.django_db
def test_a_comment_posted_while_the_broker_is_down_still_gets_its_201_and_stays_pending(
    django_capture_on_commit_callbacks,
):
    from kombu import pools

    from config.celery import app

    def reset_connections() -> None:
        # Celery keeps connection and producer pools; drop them so the next publish uses the
        # broker_url in force now.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    ArticleFactory(slug="story")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    real_broker, was_eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False  # nothing listens
    reset_connections()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/articles/story/comments/", {"body": "Still here"}, format="json")
    finally:
        app.conf.broker_url, app.conf.task_always_eager = real_broker, was_eager
        reset_connections()

    assert response.status_code == 201
    assert Comment.objects.get(pk=response.json()["id"]).status == "pending"
