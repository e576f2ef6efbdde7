"""Credentials: API tokens expire, are revoked by their holder and by a password change; wrong
passwords and sign-ups are throttled per account and address, for a window only."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/moderation/queue/?queue=premod"  # any endpoint that needs credentials
PASSWORD = "correct horse battery staple"


def _with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _ask_token(username: str, password: str, *, address: str = "192.0.2.1"):
    return APIClient().post(
        TOKEN, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def _log_in_form(client, username: str, password: str, *, address: str = "192.0.2.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _sign_up(client, n: int, *, address: str = "192.0.2.1"):
    password = "a-long-unusual-passphrase-42"
    return client.post(
        "/accounts/signup/",
        {"username": f"new{n}", "email": f"new{n}@example.com", "password1": password, "password2": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def alice():
    return UserFactory(username="alice")


def _age(token: Token, days: int) -> None:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timezone.timedelta(days=days))


def test_a_token_within_its_lifetime_is_accepted(alice):
    token = Token.objects.create(user=alice)
    _age(token, 29)

    assert _with_token(token.key).get(ME).status_code == 403  # known, only not a moderator


def test_an_expired_token_gets_401(alice, settings):
    settings.API_TOKEN_EXPIRE_DAYS = 30
    token = Token.objects.create(user=alice)
    _age(token, 31)

    response = _with_token(token.key).get(ME)

    assert response.status_code == 401
    assert response.json()["detail"] == "Token has expired. Ask for a new one."


def test_asking_again_after_expiry_gives_a_new_token(alice):
    token = Token.objects.create(user=alice)
    _age(token, 31)

    response = _ask_token("alice", PASSWORD)

    assert response.status_code == 200
    assert response.json()["token"] != token.key
    assert _with_token(response.json()["token"]).get(ME).status_code == 403


def test_a_client_revokes_its_own_token(alice):
    key = _ask_token("alice", PASSWORD).json()["token"]

    response = _with_token(key).delete(TOKEN)

    assert response.status_code == 204
    assert _with_token(key).get(ME).status_code == 401


def test_revoking_without_a_token_is_401():
    response = APIClient().delete(TOKEN)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_changing_the_password_revokes_the_token(alice):
    key = _ask_token("alice", PASSWORD).json()["token"]

    alice.set_password("a new and different passphrase")
    alice.save()

    assert _with_token(key).get(ME).status_code == 401
    assert _ask_token("alice", "a new and different passphrase").json()["token"] != key


def test_the_schema_documents_token_revocation(client):
    operation = client.get("/api/schema/", {"format": "json"}).json()["paths"]["/api/v1/auth/token/"]

    assert "204" in operation["delete"]["responses"]
    assert "429" in operation["post"]["responses"]


def test_wrong_passwords_for_an_account_are_refused_with_429_after_the_limit(alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    answers = [_ask_token("alice", "guess", address=f"192.0.2.{n}").status_code for n in range(3)]

    refused = _ask_token("alice", PASSWORD, address="192.0.2.99")

    assert answers == [400, 400, 400]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.LOGIN_FAILURE_PERIOD + 1
    assert "token" not in refused.json()


def test_wrong_passwords_from_one_address_are_refused_whatever_the_account(settings):
    settings.LOGIN_FAILURE_IP_LIMIT = 3
    for n in range(3):
        _ask_token(f"user{n}", "guess")

    assert _ask_token("someone-else", "guess").status_code == 429
    assert _ask_token("someone-else", "guess", address="192.0.2.2").status_code == 400


def test_the_login_throttle_ends_with_its_window(alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_FAILURE_PERIOD = 3
    time.sleep(3 - time.time() % 3)  # start at a window's beginning: all three tries land in it
    _ask_token("alice", "guess")
    _ask_token("alice", "guess")
    refused = _ask_token("alice", PASSWORD)

    time.sleep(int(refused["Retry-After"]))

    assert refused.status_code == 429
    assert _ask_token("alice", PASSWORD).status_code == 200


def test_the_login_form_answers_a_429_page_after_too_many_wrong_passwords(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        assert _log_in_form(client, "alice", "guess").status_code == 200

    response = _log_in_form(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_on_the_form_and_the_api_count_together(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    _log_in_form(client, "alice", "guess")
    _ask_token("alice", "guess")

    assert _ask_token("alice", PASSWORD).status_code == 429


def test_sign_ups_from_one_address_are_refused_after_the_limit(client, settings):
    settings.SIGNUP_RATE_LIMIT = 2
    created = [_sign_up(client, n).status_code for n in range(2)]

    refused = _sign_up(client, 3)

    assert created == [302, 302]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert not get_user_model().objects.filter(username="new3").exists()
    assert _sign_up(client, 4, address="192.0.2.2").status_code == 302


def test_the_admin_login_refuses_the_right_password_while_the_account_is_throttled(client, settings):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/admin/login/", {"username": "root", "password": "guess"}, REMOTE_ADDR="192.0.2.1")

    client.post("/admin/login/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1")

    assert "_auth_user_id" not in client.session
    assert _ask_token("root", PASSWORD).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_are_judged_only_up_to_the_limit(settings, redis_client):
    """Each attempt is counted before its password is checked: of 12 sent at once with a limit
    of 5, no more than 5 are judged (400), the rest refused (429), with a real hasher's delay."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.LOGIN_FAILURE_LIMIT = 5
    UserFactory(username="target")

    def attempt(n: int) -> int:
        try:
            return _ask_token("target", f"guess {n}", address=f"192.0.2.{n}").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = sorted(pool.map(attempt, range(12)))

    assert answers.count(400) <= 5
    assert answers.count(429) >= 7
