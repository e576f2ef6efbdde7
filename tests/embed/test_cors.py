"""CORS on /api/ for the permitted origins only: no credentials, preflights kept a day; the
cached answers of the fast path carry the same headers and never keep one origin's."""

import pytest

from embed.models import EmbedOrigin
from tests.embed.conftest import NEWSROOM
from tests.factories import ArticleFactory
from tests.test_pagecache_wsgi import _call, apps  # noqa: F401 - apps is a fixture

pytestmark = pytest.mark.django_db
FOREIGN = "https://evil.example.org"
API = "/api/v1/articles/"


def test_a_permitted_origin_may_read_the_api(client):
    answer = client.get(API, headers={"Origin": NEWSROOM})

    assert answer["Access-Control-Allow-Origin"] == NEWSROOM
    assert "Access-Control-Allow-Credentials" not in answer
    assert "origin" in answer["Vary"].lower()


def test_a_foreign_origin_gets_no_cors_headers(client):
    answer = client.get(API, headers={"Origin": FOREIGN})

    assert answer.status_code == 200
    assert "Access-Control-Allow-Origin" not in answer


def test_a_preflight_from_a_permitted_origin_allows_a_bearer_token_and_is_kept_a_day(client):
    answer = client.options(
        "/api/v1/articles/story/comments/",
        headers={
            "Origin": NEWSROOM,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )

    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == NEWSROOM
    assert "authorization" in answer["Access-Control-Allow-Headers"]
    assert "POST" in answer["Access-Control-Allow-Methods"]
    assert answer["Access-Control-Max-Age"] == "86400"
    assert "Access-Control-Allow-Credentials" not in answer


def test_a_preflight_from_a_foreign_origin_allows_nothing(client):
    answer = client.options(API, headers={"Origin": FOREIGN, "Access-Control-Request-Method": "GET"})

    assert "Access-Control-Allow-Origin" not in answer


def test_an_origin_added_in_admin_may_read_the_api(client):
    EmbedOrigin.objects.create(origin="https://other.example.net")

    answer = client.get(API, headers={"Origin": "https://other.example.net"})

    assert answer["Access-Control-Allow-Origin"] == "https://other.example.net"


def test_pages_outside_the_api_get_no_cors_headers(client):
    EmbedOrigin.objects.create(origin="https://other.example.net")

    for origin in (NEWSROOM, "https://other.example.net"):
        assert "Access-Control-Allow-Origin" not in client.get("/", headers={"Origin": origin})


def _headers(app, path: str, **headers) -> dict:
    return {name.lower(): value for name, value in _call(app, path, **headers)[1].items()}


def test_cached_api_answers_carry_each_origins_own_cors_headers(apps, redis_client):  # noqa: F811
    django_app, fast_app = apps
    ArticleFactory(slug="story")
    path = "/api/v1/articles/story/comments/"
    _call(django_app, path, Origin=NEWSROOM)  # stored by a permitted origin's request

    for_newsroom = _headers(fast_app, path, Origin=NEWSROOM)
    for_foreign = _headers(fast_app, path, Origin=FOREIGN)
    for_anyone = _headers(fast_app, path)

    assert for_newsroom["access-control-allow-origin"] == NEWSROOM
    assert "access-control-allow-origin" not in for_foreign
    assert "access-control-allow-origin" not in for_anyone
    assert for_anyone == _headers(django_app, path)
