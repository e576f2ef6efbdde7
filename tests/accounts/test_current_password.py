"""Changing the address or the password, and deleting the account, ask for the current password;
an address changes only once its own link is followed, and the old one is told, with a way back."""

import re

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from accounts import selectors, services
from tests.clients import api
from tests.factories import UserFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def _link(message, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}\S+)", message.body).group(1)


def _ask_for(client, email: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/me/email/", {"email": email, "password": password, **extra}, follow=True)


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def test_changing_the_address_without_the_password_changes_nothing(signed_in, alice):
    response = signed_in.post("/accounts/me/email/", {"email": "mallory@example.com"}, follow=True)

    assert "This field is required." in html(response)
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert mail.outbox == []


def test_changing_the_address_with_a_wrong_password_changes_nothing(signed_in, alice):
    response = _ask_for(signed_in, "mallory@example.com", password="guess")

    assert "That is not your password." in html(response)
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert mail.outbox == []


def test_the_address_changes_once_the_link_mailed_to_it_is_followed(
    signed_in, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_for(signed_in, "alice@new.example")
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert "alice@new.example" in html(response)
    assert mail.outbox[0].to == ["alice@new.example"]

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.get(_link(mail.outbox[0], "/accounts/verify/"))

    alice.refresh_from_db()
    assert alice.email == "alice@new.example"
    assert selectors.is_verified(alice)


def _changed(client, alice, capture) -> None:
    with capture(execute=True):
        _ask_for(client, "mallory@example.com")
    with capture(execute=True):
        client.get(_link(mail.outbox[-1], "/accounts/verify/"))


def test_the_old_address_is_told_of_the_change_with_a_link_to_undo_it(
    signed_in, alice, django_capture_on_commit_callbacks
):
    _changed(signed_in, alice, django_capture_on_commit_callbacks)

    notice = mail.outbox[-1]
    assert notice.to == ["alice@example.com"]
    assert "mallory@example.com" in notice.body
    assert "/accounts/email/undo/" in notice.body


def test_the_undo_link_restores_the_address_and_signs_everyone_out(
    client, signed_in, alice, django_capture_on_commit_callbacks
):
    _changed(signed_in, alice, django_capture_on_commit_callbacks)
    token = Token.objects.create(user=alice)
    undo = _link(mail.outbox[-1], "/accounts/email/undo/")

    asked = client.get(undo)
    done = client.post(undo)

    assert asked.status_code == 200 and "alice@example.com" in html(asked)
    assert done.status_code == 200
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert selectors.is_verified(alice)
    assert not alice.has_usable_password()
    assert not Token.objects.filter(pk=token.pk).exists()
    assert signed_in.get("/accounts/me/").status_code == 302  # the session no longer holds


def test_a_change_link_no_longer_works_once_the_change_was_undone(
    client, signed_in, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_for(signed_in, "mallory@example.com")
    change = _link(mail.outbox[-1], "/accounts/verify/")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(change)
    client.post(_link(mail.outbox[-1], "/accounts/email/undo/"))

    again = client.get(change)

    assert again.status_code == 400
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_the_undo_link_expires_after_some_days(
    client, signed_in, alice, monkeypatch, django_capture_on_commit_callbacks
):
    _changed(signed_in, alice, django_capture_on_commit_callbacks)
    monkeypatch.setattr(services, "UNDO_MAX_AGE", -1)

    response = client.post(_link(mail.outbox[-1], "/accounts/email/undo/"))

    assert response.status_code == 400
    assert "expired" in html(response)
    alice.refresh_from_db()
    assert alice.email == "mallory@example.com"


def test_an_address_another_account_uses_gets_the_same_answer_and_changes_nothing(
    client, alice, bob, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        taken = _ask_for(client, "bob@example.com")
        free = _ask_for(client, "nobody@example.com")

    said = re.compile(r'<li class="message[^"]*">(.*?)</li>', re.S)
    assert said.findall(html(taken))[-1].replace("bob@", "x@") == said.findall(html(free))[-1].replace(
        "nobody@", "x@"
    )
    assert [m.to for m in mail.outbox] == [["nobody@example.com"]]
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_the_address_change_limit_counts_before_any_error(signed_in, alice, bob):
    for _ in range(5):
        _ask_for(signed_in, "bob@example.com", password="guess")

    response = _ask_for(signed_in, "alice@new.example")

    assert "You asked for several links already." in html(response)
    assert mail.outbox == []


def test_changing_the_password_needs_the_current_one(signed_in, alice):
    new = "a fresh long passphrase"

    response = signed_in.post("/accounts/password_change/", {"new_password1": new, "new_password2": new})

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_deleting_me_in_the_api_without_the_password_is_400(alice):
    response = api(alice).delete("/api/v1/me/")

    assert response.status_code == 400
    assert response.json()["password"] == ["This field is required."]
    alice.refresh_from_db()
    assert alice.is_active


def test_deleting_me_in_the_api_with_a_wrong_password_is_400(alice):
    response = api(alice).delete("/api/v1/me/", {"password": "guess"}, format="json")

    assert response.status_code == 400
    assert response.json()["password"] == ["That is not your password."]
    alice.refresh_from_db()
    assert alice.is_active


def test_deleting_me_in_the_api_with_the_password_is_204(alice):
    response = api(alice).delete("/api/v1/me/", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    alice.refresh_from_db()
    assert not alice.is_active


def test_guessing_the_password_through_deletion_counts_toward_the_login_limit(alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = api(alice)
    for _ in range(3):
        client.delete("/api/v1/me/", {"password": "guess"}, format="json")

    response = client.delete("/api/v1/me/", {"password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    alice.refresh_from_db()
    assert alice.is_active


def test_a_reader_without_a_password_deletes_nothing_by_guessing(settings):
    reader = UserFactory(username="sso-reader")
    reader.set_unusable_password()
    reader.save()

    response = api(reader).delete("/api/v1/me/", {"password": ""}, format="json")

    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.is_active
