"""Admins add and remove the sites that may embed the comments, without a deploy."""

import pytest
from django.test import Client

from embed import services
from embed.models import EmbedOrigin
from tests.embed.conftest import NEWSROOM, story_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the admin's changes take effect on commit
ADD = "/admin/embed/embedorigin/add/"


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_an_origin_added_in_admin_may_frame_the_embed_at_once(admin_client, redis_client):
    story = services.create_story(url="https://other.example.net/a/", title="Elsewhere")
    assert Client().get(f"/embed/{story.slug}/").status_code == 404

    answer = admin_client.post(ADD, {"origin": "HTTPS://Other.Example.net:443", "note": "Sister paper"})

    assert answer.status_code == 302
    assert EmbedOrigin.objects.get().origin == "https://other.example.net"
    framed = Client().get(f"/embed/{story.slug}/")
    assert framed.status_code == 200
    assert (
        "frame-ancestors https://news.example.com https://other.example.net"
        in framed["Content-Security-Policy"]
    )


def test_a_cached_embed_forgets_an_origin_removed_in_admin(admin_client, redis_client):
    origin = EmbedOrigin.objects.create(origin="https://other.example.net")
    story = services.create_story(url=story_url("/a/"), title="Ours")
    assert "https://other.example.net" in Client().get(f"/embed/{story.slug}/")["Content-Security-Policy"]

    admin_client.post(f"/admin/embed/embedorigin/{origin.pk}/delete/", {"post": "yes"})

    policy = Client().get(f"/embed/{story.slug}/")["Content-Security-Policy"]
    assert "https://other.example.net" not in policy
    assert f"frame-ancestors {NEWSROOM}" in policy


@pytest.mark.parametrize("origin", ["https://a.example/path", "ftp://a.example", "not an origin"])
def test_what_is_not_an_origin_is_refused(admin_client, origin):
    answer = admin_client.post(ADD, {"origin": origin})

    assert answer.status_code == 200
    assert not EmbedOrigin.objects.exists()
