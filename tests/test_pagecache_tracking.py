"""Each process's copies of the page versions (delivery/redis_client.py, TrackedCopies): a 304 asks
Redis nothing, yet a change made anywhere reaches the next request, and a Redis fault drops them."""

import os
import subprocess
import sys
import time

import pytest
import redis
from django.core.cache import cache

from delivery import bumps, changes, held
from delivery import redis_client as tracked
from tests.conftest import _database_url
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
PAGE = "/articles/story/"
API = "/api/v1/articles/story/comments/"
# What "about a second" allows on a shared 2-core machine: the Redis timeouts are 0.25 s each.
PATIENCE = 1.5


@pytest.fixture
def article(redis_client):
    return ArticleFactory(slug="story", headline="The first headline", paragraphs=["The first words."])


@pytest.fixture
def own_redis(spare_redis, settings):
    """The site's cache on a redis-server of the test's own, which it may stop, freeze and kill
    connections of."""
    for name in ("default", "strict"):
        settings.CACHES = {**settings.CACHES, name: _located(settings.CACHES[name], spare_redis.url)}
    yield spare_redis
    tracked._tracked.pop(spare_redis.url)._drop()


def _located(cache: dict, url: str) -> dict:
    """A cache's settings moved to `url`, inside the wrapper a site with replicas has (config.replicas)."""
    if inner := cache.get("OPTIONS", {}).get("CACHE"):
        return {**cache, "OPTIONS": {**cache["OPTIONS"], "CACHE": {**inner, "LOCATION": url}}}
    return {**cache, "LOCATION": url}


def _location(cache: dict) -> str:
    return cache.get("OPTIONS", {}).get("CACHE", cache)["LOCATION"]


def _mget_calls(server) -> int:
    stats = redis.Redis.from_url(server.url).info("commandstats")
    return stats.get("cmdstat_mget", {}).get("calls", 0)


def _etag(client, path: str = PAGE) -> str:
    client.get(path)
    return client.get(path)["ETag"]


def test_unchanged_page_answers_304_without_asking_redis(client, article, own_redis):
    etag, api_etag = _etag(client), _etag(client, API)
    calls = _mget_calls(own_redis)

    answers = [client.get(PAGE, HTTP_IF_NONE_MATCH=etag), client.get(API, HTTP_IF_NONE_MATCH=api_etag)]

    assert [a.status_code for a in answers] == [304, 304]
    assert _mget_calls(own_redis) == calls


@pytest.mark.parametrize("path", [PAGE, API])
def test_version_bumped_by_another_process_is_seen_by_the_next_conditional_request(
    client, article, path, settings
):
    etag = _etag(client, path)
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    bump = "import django; django.setup(); from delivery import bumps, changes; bumps.bump(changes.thread_version_key('story'))"  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": _database_url()}

    subprocess.run([sys.executable, "-c", bump], cwd=settings.BASE_DIR, env=env, check=True, timeout=60)
    answer = client.get(path, HTTP_IF_NONE_MATCH=etag)

    assert answer.status_code == 200
    assert answer["ETag"] != etag


def test_version_set_by_another_client_is_seen_once_redis_has_sent_it(client, article, redis_client):
    etag = _etag(client)
    redis_client.set(cache.make_key(changes.thread_version_key("story")), bumps.now_us())
    redis_client.ping()  # as bump() does: the invalidation leaves before Redis reads this

    answer = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)

    assert answer.status_code == 200
    assert answer["ETag"] != etag


def test_a_dropped_connection_drops_the_copies(client, article, own_redis):
    etag = _etag(client)
    server = redis.Redis.from_url(own_redis.url)
    server.client_kill_filter(_type="normal", skipme=True)
    # Changed while nothing listened: no invalidation reaches the copies.
    server.set(cache.make_key(changes.thread_version_key("story")), bumps.now_us())

    answer = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)

    assert answer.status_code == 200
    assert answer["ETag"] != etag


def test_while_redis_is_stopped_and_after_it_returns_an_old_etag_gets_the_page(
    client, article, own_redis, monkeypatch
):
    monkeypatch.setattr(tracked, "QUIET_SECONDS", 0.0)  # asks the returned Redis at once
    etag = _etag(client)
    own_redis.stop()

    during = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    own_redis.start()
    after = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)

    assert during.status_code == 200
    assert "The first headline" in during.content.decode()
    assert after.status_code == 200
    assert after["ETag"] != etag


def test_with_redis_frozen_the_copies_are_trusted_a_second_at_most(client, article, own_redis):
    etag = _etag(client)
    own_redis.freeze()
    time.sleep(tracked.TRUST_SECONDS)

    started = time.monotonic()
    answer = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    seconds = time.monotonic() - started

    assert answer.status_code == 200
    assert "The first headline" in answer.content.decode()
    assert seconds < PATIENCE


def test_flushed_database_drops_the_copies(client, article, redis_client):
    etag = _etag(client)

    cache.clear()
    redis_client.ping()  # as after a bump: the invalidation leaves before Redis reads this
    answer = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)

    assert answer.status_code == 200
    assert answer["ETag"] != etag


def test_a_forked_process_starts_without_copies(client, article):
    client.get(PAGE)
    assert tracked._tracked

    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through its exit status only
        os._exit(0 if not tracked._tracked else 1)
    _, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert tracked._tracked


def test_copies_are_bounded(client, article, monkeypatch, settings):
    monkeypatch.setattr(tracked, "MAX_COPIES", 2)

    client.get(PAGE)
    client.get(PAGE)

    assert len(tracked._tracked[_location(settings.CACHES["default"])]._copies) == 2


def test_stored_pages_are_not_tracked_in_the_client_side_cache(client, article, settings):
    client.get(PAGE)

    client.get(PAGE)

    copies = tracked._tracked[_location(settings.CACHES["default"])]._copies
    assert sorted(copies) == sorted(
        cache.make_key(key)
        for key in (
            changes.article_version_key("story"),
            changes.thread_version_key("story"),
            changes.SITE_VERSION_KEY,
        )
    )


def _gets(server) -> int:
    stats = redis.Redis.from_url(server.url).info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


@pytest.mark.parametrize("path", [PAGE, API])
def test_an_unchanged_page_read_again_is_answered_without_asking_redis(client, article, own_redis, path):
    client.get(path)  # built and kept (a version no write has set yet starts here)
    first = client.get(path)
    calls = _gets(own_redis)

    again = client.get(path)

    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert _gets(own_redis) == calls  # the versions from the tracked copies, the answer held


def test_a_held_answer_is_not_replayed_once_another_process_changed_its_version(client, article, settings):
    client.get(PAGE)
    assert held.local_entries.get(next(iter(held.local_entries._entries)))
    ArticleFactory._meta.model.objects.filter(slug="story").update(headline="The second headline")
    bump = "import django; django.setup(); from delivery import bumps, changes; bumps.bump(changes.article_version_key('story'))"  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": _database_url()}
    subprocess.run([sys.executable, "-c", bump], cwd=settings.BASE_DIR, env=env, check=True, timeout=60)

    answer = client.get(PAGE)

    assert "The second headline" in answer.content.decode()


def test_held_answers_stay_within_their_budget_the_least_recently_served_going_first():
    room = held.LocalEntries(budget=4000)
    entry = lambda n: ([n], [], b"x" * n, time.time() + 60)  # noqa: E731 - versions, headers, body, expiry
    for key, size in [("a", 900), ("b", 900), ("c", 900)]:
        room.put(key, entry(size))
    room.get("a")  # served again: the last to go
    room.put("d", entry(900))
    room.put("e", entry(900))  # over 4000 bytes: "b", the least recently served, goes
    room.put("huge", entry(1001))  # more than a quarter of the room: never held

    assert [key for key in ("a", "b", "c", "d", "e", "huge") if room.get(key)] == ["a", "c", "d", "e"]
    assert room._bytes == 3600
