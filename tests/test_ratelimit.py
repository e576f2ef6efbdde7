"""Rate-limit windows counted in the real Redis (config/ratelimit.py): one script per action."""

import pytest
from django.core.cache import caches

from config.ratelimit import blocked, hit


@pytest.fixture(autouse=True)
def _empty(redis_client):
    caches["strict"].clear()


def test_counts_up_to_the_limit_then_answers_the_wait():
    waits = [hit("test-scope", "reader", limit=3, period=60) for _ in range(4)]

    assert waits[:3] == [None, None, None]
    assert 1 <= waits[3] <= 61
    assert blocked("test-scope", "reader", limit=3, period=60) is not None
    assert blocked("test-scope", "another", limit=3, period=60) is None


def test_a_window_expires_with_its_period(redis_client):
    hit("test-scope", "reader", limit=3, period=60)

    (key,) = redis_client.keys("*ratelimit:test-scope:reader:*")
    assert 0 < redis_client.ttl(key) <= 61
    assert int(redis_client.get(key)) == 1
