"""Authorization: Bearer <JWT> from the newsroom (Coral's claims) on every API call: the reader's
account here, linked by the newsroom's user id, and every bad token refused with 401."""

import time

import jwt
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.services import delete_account
from comments.models import Comment
from embed.models import NewsroomAccount
from tests.embed.conftest import KID, READER, SECRET, bearer, token
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"
LOGOUT = "/api/v1/auth/token/"


def test_a_newsroom_reader_gets_an_account_here_on_first_sight():
    answer = bearer(token()).get(ME)

    assert answer.status_code == 200
    assert answer.json()["username"] == "alice"
    assert answer.json()["email"] == "alice@news.example.com"
    assert answer.json()["email_verified"] is True
    user = get_user_model().objects.get(newsroom__newsroom_id="u-1")
    assert not user.has_usable_password()


def test_the_same_reader_keeps_one_account():
    first = bearer(token()).get(ME).json()["id"]

    again = bearer(token()).get(ME).json()["id"]

    assert again == first
    assert NewsroomAccount.objects.count() == 1


def test_the_account_follows_the_newsrooms_username_and_email():
    bearer(token()).get(ME)

    answer = bearer(token({"id": "u-1", "username": "alice.b", "email": "alice.b@news.example.com"})).get(ME)

    assert answer.json()["username"] == "alice.b"
    assert answer.json()["email"] == "alice.b@news.example.com"
    assert answer.json()["email_verified"] is True


def test_readers_are_linked_by_id_never_by_email():
    local = UserFactory(username="carol", email="alice@news.example.com")

    answer = bearer(token()).get(ME)

    assert answer.json()["id"] != local.pk
    other = bearer(token({**READER, "id": "u-2", "username": "alice2"})).get(ME)
    assert other.json()["id"] not in (local.pk, answer.json()["id"])


def test_a_username_taken_here_gets_a_number():
    UserFactory(username="alice")
    UserFactory(username="alice-2")

    assert bearer(token()).get(ME).json()["username"] == "alice-3"


def test_a_username_that_only_looks_like_one_taken_here_gets_a_number():
    UserFactory(username="admin")

    # "аdmin" with a Cyrillic "а": the newsroom's reader may not pass for our admin.
    answer = bearer(token({"id": "u-9", "username": "\u0430dmin"})).get(ME)

    assert answer.json()["username"] == "\u0430dmin-2"


def test_a_numeric_id_and_no_username_or_email_are_enough():
    answer = bearer(token({"id": 42})).get(ME)

    assert answer.status_code == 200
    assert answer.json()["username"].startswith("reader-")
    assert NewsroomAccount.objects.get().newsroom_id == "42"


def test_a_newsroom_reader_posts_and_the_comment_is_moderated_like_any_other(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(slug="story")

    with django_capture_on_commit_callbacks(execute=True):
        answer = bearer(token()).post(
            "/api/v1/articles/story/comments/", {"body": "A fair report."}, format="json"
        )

    assert answer.status_code == 201
    comment = Comment.objects.get(pk=answer.json()["id"])
    assert comment.author.newsroom.newsroom_id == "u-1"
    assert comment.status == "approved"  # the checks ran on it (eager tasks), as on any comment
    assert comment.audit_records.filter(actor_name__startswith="system").exists()
    assert article.pk == comment.article_id


def _now() -> int:
    return int(time.time())


BAD_TOKENS = {
    "expired": lambda: token(issued=_now() - 7200, lifetime=3600),
    "bad signature": lambda: token(secret="not-the-newsrooms-secret-at-all-32b"),
    "alg none": lambda: jwt.encode(
        {"user": READER, "iat": _now(), "exp": _now() + 60}, None, algorithm="none"
    ),
    "another algorithm": lambda: token(algorithm="HS512"),
    "too old": lambda: token(issued=_now() - 2 * 24 * 3600, lifetime=3 * 24 * 3600),
    "unknown kid": lambda: token(kid="2019-01"),
    "no exp": lambda: jwt.encode({"user": READER, "iat": _now()}, SECRET, algorithm="HS256"),
    "no user": lambda: jwt.encode({"iat": _now(), "exp": _now() + 60}, SECRET, algorithm="HS256"),
    "user not an object": lambda: token(user="alice"),
    "user without id": lambda: token({"username": "alice"}),
    "issued in the future": lambda: token(issued=_now() + 3600),
    "not a jwt": lambda: "not.a.token",
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_a_bad_token_is_a_401_and_signs_nobody_in(kind):
    answer = bearer(BAD_TOKENS[kind]()).get(ME)

    assert answer.status_code == 401
    assert answer.json()["detail"]
    assert answer["WWW-Authenticate"]
    assert not NewsroomAccount.objects.exists()


def test_a_bad_token_is_a_401_even_where_no_sign_in_is_needed():
    assert (
        bearer(token(secret="not-the-newsrooms-secret-at-all-32b")).get("/api/v1/articles/").status_code
        == 401
    )


def test_the_previous_secret_is_accepted_under_its_own_kid_while_rotating(settings):
    settings.SSO_JWT_SECRET, settings.SSO_JWT_KID = "the-new-secret-of-at-least-32-bytes-x", "2026-12"
    settings.SSO_JWT_SECRET_PREVIOUS, settings.SSO_JWT_KID_PREVIOUS = SECRET, KID

    assert bearer(token()).get(ME).status_code == 200
    assert (
        bearer(token(secret="the-new-secret-of-at-least-32-bytes-x", kid="2026-12")).get(ME).status_code
        == 200
    )
    assert bearer(token(kid="2026-12")).get(ME).status_code == 401  # the old secret under the new kid


def test_a_token_without_kid_is_checked_with_the_current_secret():
    assert bearer(token(kid=None)).get(ME).status_code == 200


def test_without_a_secret_set_bearer_tokens_are_refused(settings):
    settings.SSO_JWT_SECRET = ""

    answer = bearer(token()).get(ME)

    assert answer.status_code == 401
    assert "not set up" in answer.json()["detail"]


def test_logout_revokes_the_token_until_it_expires():
    value = token(jti="session-1")
    assert bearer(value).get(ME).status_code == 200

    assert bearer(value).delete(LOGOUT).status_code == 204

    refused = bearer(value).get(ME)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Token has been revoked."
    assert bearer(token(jti="session-2")).get(ME).status_code == 200  # a new sign-in works


def test_a_token_without_jti_cannot_be_revoked_and_says_so():
    answer = bearer(token(jti=None)).delete(LOGOUT)

    assert answer.status_code == 400
    assert "jti" in answer.json()["detail"]


def test_a_deleted_account_starts_afresh_when_the_newsroom_signs_the_reader_in_again():
    first = bearer(token()).get(ME).json()["id"]
    delete_account(user=get_user_model().objects.get(pk=first))

    again = bearer(token()).get(ME)

    assert again.status_code == 200
    assert again.json()["id"] != first


def test_an_api_token_still_works_beside_bearer_tokens():
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")

    assert client.get(ME).status_code == 200


def test_a_known_readers_request_reads_them_in_one_query(django_assert_num_queries):
    bearer(token()).get(ME)
    value = token()

    with django_assert_num_queries(2):  # the reader with their revocation check, then the article
        assert bearer(value).get("/api/v1/articles/nothing-here/").status_code == 404
