"""Sign-in on our own pages with the newsroom's OpenID Connect provider (django-allauth), against
a provider the tests run on a port of their own (tests/oidc_provider.py): discovery, the
authorization code flow, userinfo and its JWKS over real HTTP."""

from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from tests.conftest import spare_port
from tests.factories import PASSWORD, ArticleFactory, UserFactory
from tests.oidc_provider import Provider, Reader

DANA = Reader(sub="oidc-42", email="dana@newsroom.example", name="Dana Reyes", preferred_username="dana")


@pytest.fixture
def provider(settings):
    server = Provider(spare_port(), client_id="newsroom-site", client_secret="a-client-secret", reader=DANA)
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "newsroom",
                    "name": "The Valley Courier",
                    "client_id": "newsroom-site",
                    "secret": "a-client-secret",
                    "settings": {"server_url": server.issuer},
                }
            ],
        }
    }
    yield server
    server.close()


def _sign_in(client, *, next_path: str = "/articles/story/"):
    """The browser's part, hop by hop: our button, the provider's authorize endpoint, our callback."""
    start = client.post(f"/accounts/oidc/newsroom/login/?next={next_path}")
    assert start.status_code == 302, start.content
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


@pytest.mark.django_db
def test_the_login_page_offers_the_newsrooms_sign_in_beside_the_password(client, provider):
    html = client.get("/accounts/login/").content.decode()

    assert 'name="password"' in html
    assert "Sign in with The Valley Courier" in html
    assert 'action="/accounts/oidc/newsroom/login/' in html


@pytest.mark.django_db
def test_without_a_provider_set_the_login_page_is_as_before(client):
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_a_reader_signs_in_with_the_provider_and_gets_an_account_here(client, provider):
    ArticleFactory(slug="story")

    done = _sign_in(client)

    assert done.status_code == 302
    assert done["Location"] == "/articles/story/"
    account = SocialAccount.objects.get(provider="newsroom", uid="oidc-42")
    assert account.user.username == "dana"
    assert account.user.email == "dana@newsroom.example"
    assert client.get("/api/v1/me/").json()["email_verified"] is True
    assert provider.requests[:1] == ["/.well-known/openid-configuration"]
    assert {"/authorize", "/token", "/userinfo"} <= set(provider.requests)


@pytest.mark.django_db
def test_signing_in_again_is_the_same_account_and_an_existing_username_is_not_taken(client, provider):
    UserFactory(username="dana", email="dana@newsroom.example")
    _sign_in(client)
    first = SocialAccount.objects.get(uid="oidc-42").user_id
    client.post("/accounts/logout/")

    _sign_in(client)

    assert SocialAccount.objects.get(uid="oidc-42").user_id == first
    assert get_user_model().objects.get(pk=first).username != "dana"
    assert client.get("/api/v1/me/").json()["id"] == first


@pytest.mark.django_db
def test_the_password_login_still_works_at_its_address(client, provider):
    UserFactory(username="erin")

    answer = client.post("/accounts/login/", {"username": "erin", "password": PASSWORD, "next": "/"})

    assert answer.status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "erin"


@pytest.mark.django_db
def test_the_provider_publishes_its_keys(provider):
    keys = requests.get(f"{provider.issuer}/jwks", timeout=5).json()["keys"]

    assert keys[0]["kty"] == "RSA"
    assert "d" not in keys[0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_reader_signs_in_with_the_provider_from_the_login_page(page, provider):
    ArticleFactory(slug="story", headline="The big story")

    page.goto("/accounts/login/?next=/articles/story/")
    page.get_by_role("button", name="Sign in with The Valley Courier").click()

    page.get_by_role("link", name="Signed in as dana").wait_for()
    assert page.url.endswith("/articles/story/")
