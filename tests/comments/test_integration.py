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
