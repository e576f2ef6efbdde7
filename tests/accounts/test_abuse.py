"""What an outsider could do with accounts: mail their own words to anyone, find out whose an
address is, time a reset, pass for another reader with look-alike letters."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts import services
from tests.factories import UserFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
SPAM_NAME = "Cheap-pills.at.spam.example"


def _sign_up(client, username: str, email: str, *, address: str = "192.0.2.1"):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=address,
    )


def test_the_verification_mail_does_not_repeat_the_username(django_capture_on_commit_callbacks):
    user = UserFactory(username=SPAM_NAME, email="victim@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        services.queue_verification(user=user)

    assert mail.outbox[0].to == ["victim@example.com"]
    assert SPAM_NAME.casefold() not in (mail.outbox[0].body + mail.outbox[0].subject).casefold()


def test_the_reset_mail_does_not_repeat_the_username(client, django_capture_on_commit_callbacks):
    UserFactory(username=SPAM_NAME, email="victim@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "victim@example.com"})

    assert "/accounts/reset/" in mail.outbox[0].body
    assert SPAM_NAME.casefold() not in (mail.outbox[0].body + mail.outbox[0].subject).casefold()


def test_the_reset_mail_is_sent_by_a_task_not_within_the_request(client, django_capture_on_commit_callbacks):
    UserFactory(username="alice")

    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
        mailed_in_the_request = len(mail.outbox)
    for callback in queued:
        callback()

    assert response.status_code == 302
    assert mailed_in_the_request == 0
    assert mail.outbox[0].to == ["alice@example.com"]


def test_signing_up_with_an_address_another_account_uses_is_refused(client):
    UserFactory(username="alice", email="alice@example.com")

    response = _sign_up(client, "carol", "Alice@Example.com")

    assert response.status_code == 200
    assert "Another account uses this address." in response.content.decode()
    assert not get_user_model().objects.filter(username="carol").exists()


def test_trying_addresses_at_signup_counts_toward_the_signup_limit(client, settings):
    settings.SIGNUP_RATE_LIMIT = 3
    for n in range(3):
        UserFactory(username=f"known{n}", email=f"known{n}@example.com")
        _sign_up(client, f"prober{n}", f"known{n}@example.com")

    response = _sign_up(client, "prober9", "unknown@example.com")

    assert response.status_code == 429


@pytest.mark.parametrize("lookalike", ["\u0430dmin", "ADMIN", "adrnin", "\u0430\u0501min"])
def test_a_username_that_looks_like_another_readers_is_refused(client, lookalike):
    get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)

    response = _sign_up(client, lookalike, "new@example.com")

    assert response.status_code == 200
    assert "looks like another reader" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_a_username_unlike_any_other_is_taken(client):
    get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)

    assert _sign_up(client, "\u0410\u0439\u0433\u0443\u043b\u044c", "aigul@example.com").status_code == 302


def test_a_display_name_that_looks_like_another_readers_name_is_refused():
    UserFactory(username="editor")
    mallory = UserFactory(username="mallory")

    with pytest.raises(services.AccountError, match="Another reader uses this name"):
        services.update_profile(user=mallory, display_name="\u0435ditor")


def test_a_username_that_looks_like_another_readers_display_name_is_refused(client):
    services.update_profile(user=UserFactory(username="alice"), display_name="Newsdesk")

    response = _sign_up(client, "newsdesk", "new@example.com")

    assert "looks like another reader" in response.content.decode()
