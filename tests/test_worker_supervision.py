"""The supervised worker (`python -m config.worker`, what the Procfile runs) comes back by itself:
after it exits, and after it stops taking work while still alive. Its own redis-server."""

import os
import signal
import time

import pytest
import redis

from config.tasks import worker_heartbeat_key
from tests.conftest import wait_for
from tests.processes import SupervisedWorker, skip_on_the_sqlite_pass

pytestmark = pytest.mark.integration

FAST = {
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_STALE_SECONDS": "4",
    "WORKER_STOP_SECONDS": "3",
    "WORKER_START_SECONDS": "40",
    "MODERATION_TOXICITY_CHECK": "false",
}


@pytest.fixture
def supervised(spare_redis, transactional_db):
    skip_on_the_sqlite_pass()
    worker = SupervisedWorker(redis_url=spare_redis.url, env=FAST, concurrency=1, name="supervised")
    yield worker
    worker.stop()


def _beats(spare_redis, worker) -> float | None:
    """The last heartbeat this worker ran, as the supervisor reads it (through the strict cache)."""
    from django.core.cache import caches

    client = redis.Redis.from_url(spare_redis.url)
    key = caches["strict"].make_key(worker_heartbeat_key(worker.hostname))
    raw = client.get(key)
    return raw and caches["strict"].client.decode(raw)


def _fresh_beat_after(spare_redis, worker, moment: float, timeout: float) -> float:
    return wait_for(
        lambda: (beat := _beats(spare_redis, worker)) and beat > moment and beat,
        timeout=timeout,
        message="a heartbeat from the worker",
    )


def test_worker_that_exits_is_started_again(spare_redis, supervised):
    _fresh_beat_after(spare_redis, supervised, 0, timeout=60)
    first = supervised.worker_pid()

    os.killpg(first, signal.SIGKILL)  # the worker and its pool, as the OOM killer might
    killed_at = time.time()

    _fresh_beat_after(spare_redis, supervised, killed_at, timeout=60)
    assert supervised.worker_pid() not in (None, first)


def test_worker_that_takes_no_work_is_restarted(spare_redis, supervised):
    _fresh_beat_after(spare_redis, supervised, 0, timeout=60)
    wedged = supervised.worker_pid()

    os.kill(wedged, signal.SIGSTOP)  # alive, holding its connection, taking nothing
    stopped_at = time.time()

    _fresh_beat_after(spare_redis, supervised, stopped_at, timeout=60)
    assert supervised.worker_pid() != wedged
    assert "restarting it" in supervised.log.read_text()
