from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_articles_api_lists_published_articles_with_comment_fields(client, seeded):
    ArticleFactory(slug="future", published_at=timezone.now() + timedelta(days=1))

    data = client.get("/api/v1/articles/").json()

    slugs = [a["slug"] for a in data["results"]]
    assert slugs == ["98000-russians-flee-to-kazakhstan", "ukraines-precipice"]
    assert data["results"][0]["comment_count"] == 0
    assert data["results"][0]["comments_open"] is True


def test_article_api_detail_has_the_body_blocks(client, seeded):
    data = client.get("/api/v1/articles/98000-russians-flee-to-kazakhstan/").json()

    kinds = [b["kind"] for b in data["body"]]
    assert kinds.count("paragraph") == 10
    assert data["body"][7]["teasers"][0]["slug"] == "ukraines-precipice"


def test_article_api_unknown_slug_is_json_404(client):
    response = client.get("/api/v1/articles/nope/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Article matches the given query."}


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_closed_article_reads_as_closed_in_the_api(client):
    ArticleFactory(slug="closed", comments_close_at=timezone.now() - timedelta(minutes=1))

    assert client.get("/api/v1/articles/closed/").json()["comments_open"] is False


def test_schema_is_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert b"openapi" in response.content
    assert b"/api/v1/articles/" in response.content


def test_oversized_request_gets_413(client):
    response = client.generic(
        "POST", "/api/v1/articles/", "x" * (300 * 1024), content_type="application/json"
    )

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
