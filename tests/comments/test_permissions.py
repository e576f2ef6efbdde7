"""Who may do what on every comment address: anonymous, the author, another commenter, a moderator."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "author", "other", "moderator"]


@pytest.fixture
def comment():
    return make_comment(article=ArticleFactory(slug="story"), author=UserFactory(username="alice"))


def _client(who: str, comment) -> APIClient:
    user = {
        "anonymous": None,
        "author": comment.author,
        "other": UserFactory(username="bob"),
        "moderator": moderator(username="mod"),
    }[who]
    client = APIClient()
    if user:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _call(client, method: str, path: str, body=None):
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("get", "/api/v1/articles/story/comments/", None, [200, 200, 200, 200]),
        ("post", "/api/v1/articles/story/comments/", {"body": "Hi"}, [401, 201, 201, 201]),
        ("get", "/api/v1/comments/{id}/", None, [200, 200, 200, 200]),
        ("patch", "/api/v1/comments/{id}/", {"body": "Changed"}, [401, 200, 403, 403]),
        ("delete", "/api/v1/comments/{id}/", None, [401, 204, 403, 403]),
        ("post", "/api/v1/comments/{id}/flags/", {"reason": "spam"}, [401, 403, 201, 201]),
        ("put", "/api/v1/comments/{id}/like/", None, [401, 403, 200, 200]),
        ("delete", "/api/v1/comments/{id}/like/", None, [401, 200, 200, 200]),
    ],
)
@pytest.mark.parametrize("who", WHO)
def test_each_endpoint_answers_each_kind_of_user_as_the_contract_says(
    comment, who, method, path, body, expected
):
    client = _client(who, comment)

    response = _call(client, method, path.format(id=comment.pk), body)

    assert response.status_code == expected[WHO.index(who)]


@pytest.mark.parametrize(("who", "expected"), list(zip(WHO, [404, 200, 404, 404], strict=True)))
def test_a_pending_comment_is_visible_only_to_its_author(who, expected):
    pending = make_comment(article=ArticleFactory(slug="story"), author=UserFactory(), status="pending")

    response = _client(who, pending).get(f"/api/v1/comments/{pending.pk}/")

    assert response.status_code == expected


@pytest.mark.parametrize("who", ["author", "other", "moderator"])
def test_nobody_can_like_or_flag_a_comment_that_is_not_public(who):
    pending = make_comment(article=ArticleFactory(slug="story"), author=UserFactory(), status="pending")
    client = _client(who, pending)

    assert client.put(f"/api/v1/comments/{pending.pk}/like/").status_code == 404
    assert (
        client.post(f"/api/v1/comments/{pending.pk}/flags/", {"reason": "spam"}, format="json").status_code
        == 404
    )
