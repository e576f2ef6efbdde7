"""Answers that depend on who asks tell every cache in front that they are private."""

import pytest
from django.test import Client

from tests.clients import api
from tests.factories import UserFactory, moderator

pytestmark = pytest.mark.django_db
MODERATION_PAGES = ["/moderation/", "/moderation/dashboard/", "/moderation/sanctions/"]
API = [
    "/api/v1/me/",
    "/api/v1/me/comments/",
    "/api/v1/me/export/",
    "/api/v1/moderation/queue/?queue=premod",
    "/api/v1/moderation/stats/",
]


def _private(response) -> bool:
    return "private" in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", MODERATION_PAGES)
def test_moderation_pages_are_private(path):
    client = Client()
    client.force_login(moderator())

    response = client.get(path)

    assert response.status_code == 200
    assert _private(response)


@pytest.mark.parametrize("path", API)
def test_the_readers_and_the_moderators_api_answers_are_private(path):
    response = api(moderator()).get(path)

    assert response.status_code == 200
    assert _private(response)


@pytest.mark.parametrize("path", [*MODERATION_PAGES, *API])
def test_their_refusals_are_private_too(path):
    assert _private(Client().get(path))


def test_a_signed_in_readers_other_pages_are_private():
    client = Client()
    client.force_login(UserFactory())

    assert _private(client.get("/"))


def test_an_anonymous_public_page_stays_public(article):
    assert Client().get("/articles/story/")["Cache-Control"].startswith("public")
