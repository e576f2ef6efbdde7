"""Rate-limit windows counted in the real Redis (config/ratelimit.py): one script per action."""

import pytest
from django.core.cache import caches

from config.ratelimit import blocked, hit, hit_first


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


def test_several_limits_count_in_turn_and_stop_at_the_first_one_over(redis_client):
    limits = [("test-user", "reader", 2), ("test-ip", "192.0.2.1", 3)]

    waits = [hit_first(limits, period=60) for _ in range(4)]

    assert waits[:2] == [None, None]
    assert all(1 <= wait <= 61 for wait in waits[2:])
    # The user's limit refused the last two: the address counted only what went through.
    assert blocked("test-ip", "192.0.2.1", limit=3, period=60) is None
    assert blocked("test-ip", "192.0.2.1", limit=2, period=60) is not None
    (key,) = redis_client.keys("*ratelimit:test-ip:*")
    assert 0 < redis_client.ttl(key) <= 61


def test_the_second_limit_refuses_when_the_first_lets_through():
    hit_first([("test-user", "first", 5), ("test-ip", "192.0.2.2", 1)], period=60)

    assert hit_first([("test-user", "second", 5), ("test-ip", "192.0.2.2", 1)], period=60) is not None
