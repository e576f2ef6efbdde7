"""Sessions are kept in the database and read through Redis; a copy in Redis lives at most
SESSION_CACHE_SECONDS, so a sign-out that could not delete it is undone for no longer than that."""

import os
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
COPY = "django.contrib.sessions.cached_db"


@pytest.fixture
def reader(settings):
    if settings.SESSION_ENGINE != "delivery.sessions":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs with Redis: sessions must be read through it")
        pytest.skip("Redis unreachable: sessions live in the database alone")
    client = Client()
    client.force_login(UserFactory())
    return client


def _signed_in(client: Client) -> bool:
    return client.get("/api/v1/me/").status_code == 200


def test_a_session_copy_in_redis_lives_at_most_session_cache_seconds(reader, settings):
    key = reader.session.session_key
    assert _signed_in(reader)

    ttl = caches[settings.SESSION_CACHE_ALIAS].ttl(COPY + key)
    assert 0 < ttl <= settings.SESSION_CACHE_SECONDS
    assert settings.SESSION_COOKIE_AGE > settings.SESSION_CACHE_SECONDS


def test_a_sign_out_whose_copy_was_left_behind_is_undone_only_until_the_copy_expires(reader, settings):
    settings.SESSION_CACHE_SECONDS = 1
    caches[settings.SESSION_CACHE_ALIAS].delete(COPY + reader.session.session_key)
    reader.get("/api/v1/me/")  # read from the row, the copy written again with the short lifetime
    # A sign-out while Redis was unreachable: the row went, the copy stayed.
    Session.objects.filter(session_key=reader.session.session_key).delete()
    assert _signed_in(reader)  # the copy still answers ...

    time.sleep(1.5)
    assert not _signed_in(reader)  # ... but not for long: the row is gone, so is the session


def test_the_session_is_read_back_from_the_database_when_its_copy_has_gone(reader, settings):
    caches[settings.SESSION_CACHE_ALIAS].delete(COPY + reader.session.session_key)

    assert _signed_in(reader)
