"""delivery.fast_path: anonymous 304s and cached pages (and everyone's live polls) answered before
Django's handling, with the headers the whole stack gives, and everything else left to Django."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory

from delivery.fast_path import fast_path
from tests.conftest import spare_port
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/articles/story/"
API = "/api/v1/articles/story/comments/"


@pytest.fixture
def article(redis_client):
    return ArticleFactory(slug="story", headline="The first headline", paragraphs=["The first words."])


@pytest.fixture
def apps():
    """The whole stack, and the same behind the fast path; as the test client, the request
    signals leave the test's database connection alone."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django_app = WSGIHandler()
    yield django_app, fast_path(django_app)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call(app, path: str, **headers) -> tuple[str, dict, bytes]:
    environ = RequestFactory().generic("GET", path, headers=headers).environ
    answer = {}

    def start_response(status, response_headers):
        answer.update(status=status, headers=dict(response_headers))

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.mark.parametrize("path", [PAGE, API])
def test_cached_answer_has_the_headers_and_bytes_of_the_whole_stack(apps, article, path):
    django_app, fast_app = apps
    _call(django_app, path)

    whole = _call(django_app, path)
    fast = _call(fast_app, path)

    assert fast == whole
    assert fast[0] == "200 OK"


@pytest.mark.parametrize("header", ["ETag", "Last-Modified"])
def test_304_has_the_headers_of_the_whole_stack(apps, article, header):
    django_app, fast_app = apps
    _, headers, _ = _call(django_app, PAGE)
    asked = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}[header]

    whole = _call(django_app, PAGE, **{asked: headers[header]})
    fast = _call(fast_app, PAGE, **{asked: headers[header]})

    assert fast == whole
    assert fast[0] == "304 Not Modified"


def test_https_answer_has_the_security_headers_of_the_whole_stack(article, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request_started.disconnect(close_old_connections)
    django_app = WSGIHandler()
    _call(django_app, PAGE, X_Forwarded_Proto="https")

    whole = _call(django_app, PAGE, X_Forwarded_Proto="https")
    fast = _call(fast_path(django_app), PAGE, X_Forwarded_Proto="https")
    request_started.connect(close_old_connections)

    assert fast == whole
    assert "Strict-Transport-Security" in fast[1]


def test_cached_answer_and_304_take_no_query(apps, article, django_assert_num_queries):
    django_app, fast_app = apps
    _, headers, _ = _call(django_app, PAGE)

    with django_assert_num_queries(0):
        page = _call(fast_app, PAGE)
        not_modified = _call(fast_app, PAGE, If_None_Match=headers["ETag"])

    assert page[0] == "200 OK"
    assert not_modified[0] == "304 Not Modified"


def test_cached_answer_and_304_skip_djangos_request_handling(apps, article):
    django_app, fast_app = apps
    _, headers, _ = _call(django_app, PAGE)
    handled = []
    request_started.connect(lambda **kwargs: handled.append(1), dispatch_uid="handled", weak=False)
    try:
        _call(fast_app, PAGE)
        _call(fast_app, PAGE, If_None_Match=headers["ETag"])
        _call(fast_app, API)  # not cached yet: Django builds it
    finally:
        request_started.disconnect(dispatch_uid="handled")

    assert len(handled) == 1


def test_signed_in_readers_live_polls_skip_djangos_request_handling(apps, article):
    from comments import live

    django_app, fast_app = apps
    live._announce("story", (1, None, None))
    updates = "/api/v1/articles/story/comments/updates/?since=0"
    client = Client()
    client.force_login(UserFactory())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    _, headers, built = _call(django_app, updates, Cookie=cookie)
    handled = []
    request_started.connect(lambda **kwargs: handled.append(1), dispatch_uid="handled", weak=False)
    try:
        answer = _call(fast_app, updates, Cookie=cookie)
        not_modified = _call(fast_app, updates, Cookie=cookie, If_None_Match=headers["ETag"])
        anonymous = _call(fast_app, updates, If_None_Match=headers["ETag"])
    finally:
        request_started.disconnect(dispatch_uid="handled")

    assert handled == []
    assert answer == ("200 OK", headers, built)
    assert [not_modified[0], anonymous[0]] == ["304 Not Modified"] * 2
    assert b'"count":1' in built


def test_signed_in_reader_gets_their_own_page(apps, article):
    django_app, fast_app = apps
    _call(django_app, PAGE)
    client = Client()
    client.force_login(UserFactory(username="someone"))

    status, headers, body = _call(fast_app, PAGE, Cookie=f"sessionid={client.cookies['sessionid'].value}")

    assert status == "200 OK"
    assert headers["Cache-Control"] == "private, no-store"
    assert b"someone" in body


def test_with_redis_unreachable_the_page_comes_from_the_database(article, settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{spare_port()}/0",  # nothing listens there
        },
        "strict": settings.CACHES["strict"],
    }
    request_started.disconnect(close_old_connections)

    status, _, body = _call(fast_path(WSGIHandler()), PAGE)
    request_started.connect(close_old_connections)

    assert status == "200 OK"
    assert b"The first headline" in body


def test_page_not_yet_cached_is_built_by_django(apps, article):
    _, fast_app = apps

    status, headers, body = _call(fast_app, PAGE)

    assert status == "200 OK"
    assert headers["Cache-Control"].startswith("public")
    assert b"The first headline" in body


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Token not-a-token"}])
def test_a_path_beyond_latin_1_reaches_django_as_the_server_gave_it(apps, article, headers):
    # Django's WSGIRequest writes the decoded path back into the environ it reads: the fast path
    # must not hand Django an environ it has changed (schemathesis found the 500).
    django_app, fast_app = apps
    path = "/api/v1/articles/\U00025780\u00e7\u00bc/".encode().decode("iso-8859-1")  # as servers do

    def call(app) -> str:
        environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", **headers)
        answer = {}
        b"".join(app(environ, lambda status, response_headers: answer.update(status=status)))
        return answer["status"]

    assert call(fast_app) == call(django_app)
    assert call(fast_app).split()[0] in {"401", "404"}
