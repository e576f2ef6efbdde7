"""A signed-in request reads its user from a copy kept in Redis (delivery/reader_store.py,
signed_in_user): no user query while the account is unchanged, and every change to it (password,
deactivation, display name, deletion) seen by the very next request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from tests.conftest import spare_port
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


@pytest.fixture
def reader(redis_client):
    user = UserFactory(username="reader")
    Profile.objects.update_or_create(user=user, defaults={"display_name": "First name"})
    client = Client()
    client.force_login(user)
    assert client.get(ME).status_code == 200  # the copy is kept
    return user, client


def _user_queries(client: Client) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ME)
    return response.status_code, [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"]]


def test_a_kept_user_takes_no_user_query(reader):
    _, client = reader

    status, user_queries = _user_queries(client)

    assert (status, user_queries) == (200, [])


def test_posting_comments_keeps_the_copy(reader, article):
    _, client = reader
    client.post("/api/v1/articles/story/comments/", {"body": "Mine"}, content_type="application/json")

    assert _user_queries(client) == (200, [])


def test_a_signed_in_comment_post_takes_one_query_and_shows_the_display_name(reader, article):
    _, client = reader
    url = "/api/v1/articles/story/comments/"
    client.post(url, {"body": "First"}, content_type="application/json")  # the caches filled

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"body": "Hello"}, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["author"] == "First name"
    # The INSERT: the user with their profile and standing comes from the kept copy (with no copy,
    # their queries more; a session not in Redis, one more).
    assert len([q for q in queries.captured_queries if "django_session" not in q["sql"]]) == 1


def test_a_changed_password_ends_other_sessions_at_once(reader):
    user, client = reader

    user.set_password("another-password-entirely")
    user.save()

    assert client.get(ME).status_code in (401, 403)
    assert "_auth_user_id" not in client.session  # Django flushed it, as without the copy


def test_a_deactivated_account_is_signed_out_at_once(reader):
    user, client = reader

    user.is_active = False
    user.save()

    assert client.get(ME).status_code in (401, 403)


def test_a_new_display_name_shows_at_once(reader):
    user, client = reader
    client.get(ME)

    profile = Profile.objects.get(user=user)
    profile.display_name = "Second name"
    profile.save()

    assert client.get(ME).json()["display_name"] == "Second name"


def test_a_deleted_account_is_signed_out_at_once(reader):
    user, client = reader

    user.delete()

    assert client.get(ME).status_code in (401, 403)


def test_no_copy_holds_the_password_hash(reader, article, redis_client):
    user, client = reader
    client.get("/articles/story/")  # the signed-in page keeps the reader's state too

    kept = [redis_client.get(key) for key in redis_client.keys(f"*reader*:{user.pk}")]

    assert len(kept) >= 2
    assert not [value for value in kept if user.password.encode() in value]


def test_with_redis_unreachable_the_user_comes_from_the_database(reader, settings):
    _, client = reader
    dead = f"redis://127.0.0.1:{spare_port()}/0"
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": dead}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"

    status, user_queries = _user_queries(client)

    assert (status, len(user_queries)) == (200, 1)


def test_a_ban_reaches_a_reader_whose_user_copy_is_kept(reader, article):
    from moderation.services.sanctions import apply_sanction
    from tests.factories import moderator

    user, client = reader
    url = "/api/v1/articles/story/comments/"
    assert client.post(url, {"body": "Before"}, content_type="application/json").status_code == 201

    apply_sanction(user=user, moderator=moderator(), kind="ban", reason="Spam")
    refused = client.post(url, {"body": "After"}, content_type="application/json")

    assert refused.status_code == 403
    assert "may no longer post comments" in refused.content.decode()
