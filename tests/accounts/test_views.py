import re

import pytest
from django.core import mail
from django.test import Client

from accounts import selectors, services
from accounts.notifications import unsubscribe_token
from comments.models import Comment
from tests.factories import UserFactory, make_comment

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_the_old_addresses_answer_from_accounts(client):
    for path in ["/accounts/signup/", "/accounts/login/", "/accounts/password_reset/"]:
        assert client.get(path).status_code == 200


def test_signing_up_logs_in_and_mails_a_verification_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/?next=/articles/story/",
            {"username": "carol", "email": "carol@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )

    assert response.status_code == 302
    assert response["Location"] == "/articles/story/"
    assert mail.outbox[0].to == ["carol@example.com"]
    assert "/accounts/verify/" in mail.outbox[0].body


def test_signing_up_does_not_redirect_to_another_site(client):
    response = client.post(
        "/accounts/signup/?next=https://evil.example/",
        {"username": "carol", "email": "carol@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response["Location"] == "/"


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )

    assert client.login(username="alice", password="a new long passphrase")


def test_a_bad_verification_link_is_400(client):
    response = client.get("/accounts/verify/not-a-token/")

    assert response.status_code == 400
    assert "not valid" in html(response)


def test_the_verification_link_confirms_the_address(client, alice):
    response = client.get(f"/accounts/verify/{services.verification_token(alice)}/")

    assert response.status_code == 200
    assert selectors.is_verified(alice)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/me/",
        "/accounts/me/export/",
        "/accounts/password_change/",
    ],
)
def test_the_readers_pages_send_anonymous_visitors_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/me/profile/",
        "/accounts/me/email/",
        "/accounts/me/notifications/",
        "/accounts/me/verify/",
        "/accounts/me/delete/",
        "/accounts/ignore/1/",
        "/accounts/ignore/1/undo/",
    ],
)
def test_settings_forms_take_only_posts(client, alice, path):
    client.force_login(alice)

    assert client.get(path).status_code == 405


def test_changing_the_display_name_shows_it_on_comments(client, article, alice):
    make_comment(article=article, author=alice, body="Hello")
    client.force_login(alice)

    client.post("/accounts/me/profile/", {"display_name": "Alice from Almaty"})

    assert "Alice from Almaty" in html(client.get("/articles/story/"))
    assert (
        client.get("/api/v1/articles/story/comments/").json()["results"][0]["author"] == "Alice from Almaty"
    )


def test_a_display_name_too_long_is_refused_with_a_message(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/me/profile/", {"display_name": "x" * 51}, follow=True)

    assert "at most 50 characters" in html(response)
    assert selectors.display_name(alice) == "alice"


def test_an_unchecked_box_switches_that_email_off(client, alice):
    client.force_login(alice)

    client.post("/accounts/me/notifications/", {"reply": "on", "featured": "on"})

    assert selectors.account_data(alice)["notifications"] == {
        "reply": True,
        "approved": False,
        "featured": True,
    }


def test_the_unsubscribe_link_switches_off_one_kind_without_logging_in(client, alice):
    response = client.get(f"/accounts/unsubscribe/{unsubscribe_token(alice, 'reply')}/")

    assert response.status_code == 200
    assert selectors.account_data(alice)["notifications"]["reply"] is False
    assert selectors.account_data(alice)["notifications"]["approved"] is True


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/accounts/unsubscribe/{unsubscribe_token(alice, 'featured')}/", {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert selectors.account_data(alice)["notifications"]["featured"] is False


def test_a_forged_unsubscribe_link_is_400(client):
    assert client.get("/accounts/unsubscribe/forged/").status_code == 400


def test_an_unsubscribe_link_of_a_deleted_account_is_404(client, alice):
    token = unsubscribe_token(alice, "reply")
    services.delete_account(user=alice)

    assert client.get(f"/accounts/unsubscribe/{token}/").status_code == 404


def test_ignoring_someone_who_does_not_exist_says_so(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/ignore/999999/", follow=True)

    assert "No such commenter." in html(response)


def test_the_export_is_a_json_download_of_the_readers_data(client, article, alice):
    make_comment(article=article, author=alice, body="Mine")
    client.force_login(alice)

    response = client.get("/accounts/me/export/")

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert response.json()["comments"][0]["body"] == "Mine"


def test_deleting_needs_the_password(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/me/delete/", {"password": "wrong"}, follow=True)

    assert "That is not your password." in html(response)
    alice.refresh_from_db()
    assert alice.is_active


def test_deleting_the_account_logs_out(client, article, alice):
    make_comment(article=article, author=alice)
    client.force_login(alice)

    client.post("/accounts/me/delete/", {"password": PASSWORD})

    assert client.get("/accounts/me/").status_code == 302
    assert Comment.objects.get().status == Comment.Status.DELETED


def test_the_readers_page_lists_their_comments_with_status_and_reason(client, article, alice, refused):
    make_comment(article=article, author=alice, body="Published words")
    client.force_login(alice)

    page = html(client.get("/accounts/me/"))

    assert "Published words" in page
    assert "Not published" in page
    assert "it is spam" in page


def test_the_readers_page_lists_replies_to_them(client, article, alice, bob):
    top = make_comment(article=article, author=alice, body="A question")
    make_comment(article=article, author=bob, parent=top, body="An answer")
    client.force_login(alice)

    assert "An answer" in html(client.get("/accounts/me/"))


def test_the_readers_page_is_private(client, alice):
    client.force_login(alice)

    assert "no-store" in client.get("/accounts/me/")["Cache-Control"]


@pytest.mark.parametrize("count", [1, 30])
def test_the_readers_page_query_count_is_constant(client, article, alice, count, django_assert_num_queries):
    other = UserFactory()
    for n in range(count):
        top = make_comment(article=article, author=alice, body=f"c{n}")
        make_comment(article=article, author=other, parent=top, body=f"r{n}")
    services.ignore(user=alice, ignored_id=UserFactory().pk)
    client.force_login(alice)

    # User (the session from the cache); a page of their comments; profile; replies; ignored
    # commenters; their standing (may they post); whether they moderate (the header); statements of reasons and
    # notices sent (dsa, tests/dsa/test_views.py pins them with some).
    with django_assert_num_queries(9):
        client.get("/accounts/me/")


def test_verification_links_are_limited_to_a_few_an_hour(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(7):
            response = client.post("/accounts/me/verify/", follow=True)

    assert len(mail.outbox) == 5
    assert "You asked for several links already." in html(response)


def test_password_resets_are_limited_per_address(client, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post("/accounts/password_reset/", {"email": "alice@example.com"}) for _ in range(6)]

    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert len(mail.outbox) == 5
