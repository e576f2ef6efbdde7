"""Stateless nodes: two gunicorn nodes on the same database and Redis, and a reader whose
requests alternate between them. Nothing one node holds is needed by the other: a token from one
works on the other, a rate limit counts across both, a session started on one is signed in on the
other, and the replica marker (a signed cookie) is honoured by any node holding SECRET_KEY."""

import pytest
import requests

from tests.conftest import child_env
from tests.factories import PASSWORD, ArticleFactory, UserFactory
from tests.topology import WebNode

pytestmark = pytest.mark.integration


@pytest.fixture
def two_nodes(transactional_db, redis_client):
    env = child_env(COMMENT_RATE_LIMIT="2", MODERATION_TOXICITY_CHECK="false")
    nodes = [WebNode(env, workers=1), WebNode(env, workers=1)]
    yield nodes
    for node in nodes:
        node.close()


def test_a_reader_alternating_between_two_nodes_notices_nothing(two_nodes, settings):
    first, second = two_nodes
    ArticleFactory(slug="story")
    # A password the nodes can check (the tests' own fast hasher is not theirs).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = UserFactory()

    token = requests.post(
        first.url + "/api/v1/auth/token/", json={"username": user.username, "password": PASSWORD}, timeout=10
    ).json()["token"]
    reader = requests.Session()
    reader.headers["Authorization"] = f"Token {token}"
    comments = "/api/v1/articles/story/comments/"

    # The token from the first node posts on the second; the limit (2 a minute) counts both.
    assert (
        reader.post(second.url + comments, json={"body": "From the second node"}, timeout=10).status_code
        == 201
    )
    assert (
        reader.post(first.url + comments, json={"body": "From the first node"}, timeout=10).status_code == 201
    )
    over = reader.post(second.url + comments, json={"body": "One too many"}, timeout=10)
    assert over.status_code == 429 and over.headers["Retry-After"]

    # Own comments awaiting moderation, read on either node.
    for node in two_nodes:
        mine = reader.get(node.url + "/api/v1/me/comments/", timeout=10).json()["results"]
        assert sorted(c["body"] for c in mine) == ["From the first node", "From the second node"]

    # A session signed in on the first node is signed in on the second (database and Redis only).
    browser = requests.Session()
    browser.get(first.url + "/accounts/login/", timeout=10)
    signed_in = browser.post(
        first.url + "/accounts/login/",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": first.url + "/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert signed_in.status_code == 302
    page = browser.get(second.url + "/articles/story/", timeout=10)
    assert page.status_code == 200 and user.username in page.text
