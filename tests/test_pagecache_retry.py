"""A version bump Redis did not take (frozen) is made once it answers again: the pages built before
a takedown stop being served within a second or so, not after their 10 minutes. Its own redis-server."""

import time

import pytest
from django.test import override_settings

from delivery import bumps, changes, pagecache
from tests.conftest import wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def page_cache_on_spare_redis(spare_redis, settings):
    options = {
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.25,
        "REDIS_CLIENT_CLASS": "delivery.redis_client.FailFastRedis",
        "IGNORE_EXCEPTIONS": True,
    }
    caches = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": spare_redis.url,
            "OPTIONS": options,
        },
    }
    with override_settings(CACHES=caches):
        yield spare_redis
    bumps._unbumped.clear()


def test_bump_made_while_redis_is_frozen_lands_once_it_answers(page_cache_on_spare_redis):
    key = changes.thread_version_key("taken-down")
    built_from = pagecache.versions([key])
    page_cache_on_spare_redis.freeze()
    try:
        started = time.monotonic()
        bumps.bump(key)  # a rejection's commit
        assert time.monotonic() - started < 1.0
        assert key in bumps.unbumped()
        time.sleep(1.5)  # still frozen: still kept
        assert key in bumps.unbumped()
    finally:
        page_cache_on_spare_redis.thaw()

    wait_for(lambda: not bumps.unbumped(), timeout=3, message="the kept bump to land")
    assert pagecache.versions([key]) > built_from  # pages built before are stale everywhere


def test_bump_made_while_redis_is_stopped_lands_once_it_is_back(page_cache_on_spare_redis):
    key = changes.thread_version_key("withheld")
    built_from = pagecache.versions([key])
    page_cache_on_spare_redis.stop()
    bumps.bump(key)
    assert key in bumps.unbumped()

    page_cache_on_spare_redis.start()  # empty: every version starts again, later than any page
    wait_for(lambda: not bumps.unbumped(), timeout=3, message="the kept bump to land")
    assert pagecache.versions([key]) > built_from
