"""Sign-in pages, sign-up and unsubscribe as readers read them (issue 30)."""

import pytest

from accounts.notifications import unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    html = response.content.decode()
    return html[html.index("<title>") + 7 : html.index("</title>")]


@pytest.mark.parametrize(
    "address",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/done/",
    ],
)
def test_sign_in_pages_are_titled_with_the_site_name_not_the_host(client, settings, address):
    settings.SITE_NAME = "The Daily Example"

    response = client.get(address, HTTP_HOST="127.0.0.1")

    assert _title(response).endswith("· The Daily Example")
    assert "127.0.0.1" not in _title(response)


def test_the_unsubscribe_page_speaks_to_the_reader(client):
    user = UserFactory()

    html = client.get(f"/accounts/unsubscribe/{unsubscribe_token(user, 'reply')}/").content.decode()

    assert "We will no longer email you about replies to your comments." in html
    assert "my comments" not in html


def test_sign_up_asks_a_display_name_and_returns_to_the_comments(client):
    html = client.get("/accounts/signup/?next=/articles/story/%23comments").content.decode()
    assert 'name="display_name"' in html
    assert "token" not in html.lower().replace("csrfmiddlewaretoken", "")

    response = client.post(
        "/accounts/signup/?next=/articles/story/%23comments",
        {
            "username": "newreader",
            "display_name": "  New   Reader ",
            "email": "new@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "next": "/articles/story/#comments",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/articles/story/#comments"
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="newreader").profile.display_name == "New Reader"
