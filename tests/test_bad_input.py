"""Hostile input sent to a real server answers a clear 4xx, never a 500 (issue 12, items 4-7)."""

import base64
import contextlib
import http.client
import json
import re
import socket
import subprocess
import sys
import time
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from articles.api import ArticlePages
from tests.conftest import child_env, spare_port
from tests.factories import ArticleFactory, ReviewItemFactory, UserFactory, make_comment, moderator


def send(base_url: str, method: str, path: str, body=None, headers=None, chunked=False):
    """One request over a fresh connection: (status, headers, body)."""
    address = urlsplit(base_url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        # The server may answer before reading the whole body; its answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def token_for(user) -> dict:
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


JSON = {"Content-Type": "application/json"}


# 4. JSON nested thousands deep


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize(
    "path, body, signed_in",
    [
        ("/api/v1/auth/token/", '{"username": "u", "password": %s}', False),
        ("/api/v1/articles/story/corrections/", '{"message": %s}', False),
        ("/api/v1/articles/story/comments/", '{"body": %s}', True),
        ("/api/v1/articles/story/comments/", "%s", True),
    ],
)
def test_json_nested_thousands_deep_is_a_400_with_a_detail(live_server, path, body, signed_in, depth):
    ArticleFactory(slug="story")
    headers = {**JSON, **(token_for(UserFactory()) if signed_in else {})}

    status, _, answer = send(live_server.url, "POST", path, body % nested(depth), headers)

    assert status == 400
    assert "nested too deeply" in json.loads(answer)["detail"]


# 5. Cursors the server never wrote


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_CURSORS = {
    "not base64": "%%%",
    "not JSON": cursor("not json"),
    "nested 1,000 deep": cursor(nested(1_000)),
    "nested 60 deep": cursor(nested(60)),
    "a float past the double range": cursor("[1e400, 1]"),
    "an id past the double range": cursor('["2026-01-01T00:00:00+00:00", 1e400]'),
    "an id past a bigint": cursor('["2026-01-01T00:00:00+00:00", 99999999999999999999999]'),
    "a time before year 1 in UTC": cursor('["0001-01-01T00:00:00+05:00", 1]'),
    "a time after year 9999 in UTC": cursor('["9999-12-31T23:59:59-05:00", 1]'),
    "a time without an offset": cursor('["2026-01-01T00:00:00", 1]'),
    "three values": cursor('["2026-01-01T00:00:00+00:00", 1, 2]'),
    "an object": cursor('{"p": 1}'),
}


def statuses(base_url: str, path: str, headers=None) -> dict[str, int]:
    return {
        name: send(
            base_url, "GET", f"{path}{'&' if '?' in path else '?'}cursor={quote(value)}", None, headers
        )[0]
        for name, value in BAD_CURSORS.items()
    }


@pytest.mark.parametrize("sort", ["oldest", "newest", "top"])
def test_bad_cursors_on_the_comments_api_are_400(live_server, sort):
    make_comment(article=ArticleFactory(slug="story"))

    found = statuses(live_server.url, f"/api/v1/articles/story/comments/?sort={sort}")

    assert found == dict.fromkeys(BAD_CURSORS, 400)


def test_bad_cursors_on_the_article_page_show_the_first_page(live_server):
    make_comment(article=ArticleFactory(slug="story"), body="The first comment of all.")

    found = statuses(live_server.url, "/articles/story/?sort=top")

    assert found == dict.fromkeys(BAD_CURSORS, 200)
    assert b"The first comment of all." in send(live_server.url, "GET", "/articles/story/?cursor=%25%25")[2]


def test_bad_cursors_on_the_articles_api_are_400(live_server):
    ArticleFactory()

    found = statuses(live_server.url, "/api/v1/articles/")

    assert found == dict.fromkeys(BAD_CURSORS, 400)


def test_bad_cursors_on_the_moderation_queue_are_400(live_server):
    ReviewItemFactory(reason="links", checked=True)

    found = statuses(live_server.url, "/api/v1/moderation/queue/?queue=premod", token_for(moderator()))

    assert found == dict.fromkeys(BAD_CURSORS, 400)


def test_articles_api_pages_follow_the_cursor_both_ways(client, db, monkeypatch):
    monkeypatch.setattr(ArticlePages, "page_size", 2)
    articles = [ArticleFactory() for _n in range(5)]

    seen, url, last = [], "/api/v1/articles/", None
    while url:
        last = client.get(url).json()
        seen += [a["slug"] for a in last["results"]]
        url = last["next"]
    back = client.get(last["previous"]).json()

    assert sorted(seen) == sorted(a.slug for a in articles) and len(seen) == 5
    assert [a["slug"] for a in back["results"]] == seen[2:4]


# 6. A chunked body has no Content-Length, and is bounded all the same


@pytest.fixture
def gunicorn(transactional_db):
    """The site under gunicorn (it reads chunked bodies; Django's test server does not)."""
    port = spare_port()
    env = child_env(DEBUG="true")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield base_url
    proc.terminate()
    proc.wait(timeout=15)


def chunks(total: int, size: int = 64 * 1024):
    yield b'{"message": "'
    for _n in range(total // size):
        yield b"x" * size
    yield b'"}'


def test_chunked_body_over_the_limit_is_413(gunicorn):
    ArticleFactory(slug="story")

    status, _, answer = send(
        gunicorn, "POST", "/api/v1/articles/story/corrections/", chunks(10 * 2**20), JSON, True
    )

    assert status == 413
    assert "too large" in json.loads(answer)["detail"]


def test_chunked_body_within_the_limit_is_read(gunicorn):
    ArticleFactory(slug="story")
    body = iter([b'{"message": "The date ', b'in the second paragraph is wrong."}'])

    status, _, answer = send(gunicorn, "POST", "/api/v1/articles/story/corrections/", body, JSON, True)

    assert status == 201
    assert json.loads(answer)["message"] == "The date in the second paragraph is wrong."


# 7. Where signing up leads


def signup(base_url: str, next_url: str) -> tuple[int, dict]:
    path = f"/accounts/signup/?next={quote(next_url, safe='')}"
    _, headers, page = send(base_url, "GET", path)
    cookie = headers["Set-Cookie"].split(";")[0]
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = (
        f"csrfmiddlewaretoken={csrf}&username=newbie&email=newbie%40example.com"
        "&password1=a-long-pass-phrase&password2=a-long-pass-phrase"
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    status, headers, _ = send(base_url, "POST", path, form, headers)
    return status, headers


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example/"]
)
def test_signup_never_leads_off_the_site(live_server, next_url):
    status, headers = signup(live_server.url, next_url)

    assert (status, headers["Location"]) == (302, "/")


def test_signup_follows_a_path_on_the_site(live_server):
    ArticleFactory(slug="story")

    status, headers = signup(live_server.url, "/articles/story/#comments")

    assert (status, headers["Location"]) == (302, "/articles/story/#comments")
