"""The shared page cache keeps only canonical answers: addresses made up from outside (a permalink
to nothing, a cursor the server never wrote, another spelling of the host, one parameter smuggled
inside another) store nothing of their own, and an article's entries are capped."""

import base64
import json
import re

import pytest
from django.test import Client

from tests.factories import make_comment

pytestmark = pytest.mark.django_db
PAGE = "/articles/story/"
API = "/api/v1/articles/story/comments/"


def _entries(redis_client) -> set[bytes]:
    return {key for key in redis_client.keys("*:page:*") if not key.endswith(b":building")}


def _made_up_cursor() -> str:
    """A cursor as well-formed as the server's, for a page it never listed."""
    values = json.dumps(["2026-01-01T00:00:00+00:00", 123456])
    return base64.urlsafe_b64encode(values.encode()).decode().rstrip("=")


def _bodies(html: str) -> list[str]:
    return re.findall(r'<div class="comment-body"><p>(.*?)</p></div>', html)


@pytest.mark.parametrize("comment", ["999999", "{hidden}", "abc", "-1", "1e3"])
def test_a_permalink_to_no_visible_comment_stores_no_entry_of_its_own(client, article, redis_client, comment):
    make_comment(article=article, body="Public words")
    hidden = make_comment(article=article, body="Refused words", status="rejected")
    plain = client.get(PAGE).content.decode()
    before = _entries(redis_client)

    answers = [client.get(PAGE, {"comment": comment.format(hidden=hidden.pk)}) for _ in range(2)]

    assert _entries(redis_client) == before
    assert all(_bodies(a.content.decode()) == _bodies(plain) == ["Public words"] for a in answers)


def test_a_permalink_to_a_visible_comment_is_kept(client, article, redis_client):
    comment = make_comment(article=article, body="Public words")
    client.get(PAGE)
    before = _entries(redis_client)

    client.get(PAGE, {"comment": comment.pk})

    assert len(_entries(redis_client) - before) == 1


@pytest.mark.parametrize("path", [PAGE, API])
def test_a_cursor_the_server_never_wrote_stores_nothing(client, article, redis_client, path):
    make_comment(article=article, body="Public words")
    client.get(path)
    before = _entries(redis_client)

    answers = [client.get(path, {"cursor": _made_up_cursor()}).status_code for _ in range(2)]

    assert _entries(redis_client) == before
    assert answers == ([200, 200] if path == PAGE else [400, 400])


def test_the_cursor_of_the_next_page_still_leads_there(client, article, settings):
    settings.COMMENT_PAGE_SIZE = 2
    for n in range(3):
        make_comment(article=article, body=f"Comment {n}")

    following = client.get(API).json()["next"]

    assert [c["body"] for c in client.get(following).json()["results"]] == ["Comment 2"]


@pytest.mark.parametrize("host", ["TESTSERVER", "testserver.", "testserver:80", "testserver:8765"])
def test_another_spelling_of_the_host_stores_nothing(article, redis_client, host):
    Client().get(PAGE)
    before = _entries(redis_client)

    response = Client(HTTP_HOST=host).get(PAGE)

    assert response.status_code == 200
    assert _entries(redis_client) == before


def test_an_articles_entries_are_capped(client, article, redis_client, settings):
    settings.PAGE_CACHE_ENTRIES = 3
    comments = [make_comment(article=article, body=f"Comment {n}") for n in range(6)]

    answers = [client.get(PAGE, {"comment": c.pk}) for c in comments]

    assert len(_entries(redis_client)) == 3
    assert all(f"Comment {n}" in a.content.decode() for n, a in enumerate(answers))


def test_a_parameter_smuggled_inside_another_does_not_take_the_real_addresss_place(client, article, settings):
    settings.COMMENT_PAGE_SIZE = 2
    for n in range(4):
        make_comment(article=article, body=f"Comment {n}")
    cursor = re.search(r"cursor=([^\"&#]+)#comments", client.get(PAGE).content.decode()).group(1)

    client.get(f"{PAGE}?sort=oldest%26cursor%3D{cursor}")
    real = client.get(f"{PAGE}?sort=oldest&cursor={cursor}").content.decode()

    assert _bodies(real) == ["Comment 2", "Comment 3"]


def test_an_unknown_sort_stores_no_entry_of_its_own(client, article, redis_client):
    client.get(PAGE)
    before = _entries(redis_client)

    client.get(PAGE, {"sort": "loudest"})

    assert _entries(redis_client) == before


def test_live_answers_for_versions_never_reached_store_nothing(client, article, redis_client):
    client.get("/api/v1/articles/story/comments/updates/", {"since": 0})
    before = _entries(redis_client)

    for since in (17, 4242, 2**40):
        client.get("/api/v1/articles/story/comments/updates/", {"since": since})

    assert _entries(redis_client) == before
