"""/healthz: the database, Redis and the worker, from the heartbeat the worker writes."""

import time

import pytest
from django.core.cache import caches

from config.tasks import HEARTBEAT_KEY, heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_redis(settings, redis_client):
    settings.CELERY_EAGER = False


def test_healthz_in_eager_mode_says_so_instead_of_failing(client, settings):
    settings.CELERY_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "eager" in response.json()["redis"]


@pytest.mark.integration
def test_healthz_names_redis_when_it_is_down(client, settings, spare_redis):
    settings.CELERY_EAGER = False
    settings.CACHES = {
        alias: {**conf, "LOCATION": spare_redis.url} for alias, conf in settings.CACHES.items()
    }
    spare_redis.stop()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["redis"].startswith("down")
    assert response.json()["database"] == "ok"


@pytest.mark.integration
def test_healthz_is_503_before_any_worker_wrote_a_heartbeat(client, with_redis):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["redis"] == "ok"
    assert response.json()["worker"] == "down: no heartbeat yet"


@pytest.mark.integration
def test_healthz_is_200_from_a_fresh_heartbeat_without_asking_any_worker(client, with_redis):
    heartbeat()  # as a worker does when it starts; no worker process runs in this test

    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    assert response.json()["worker"].startswith("ok (heartbeat ")


@pytest.mark.integration
def test_healthz_is_503_when_the_last_heartbeat_is_stale(client, with_redis, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 30
    caches["strict"].set(HEARTBEAT_KEY, time.time() - 95, timeout=None)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "down: last heartbeat 95 s ago"
