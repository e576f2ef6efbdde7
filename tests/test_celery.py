"""Celery wired for real: a worker process consumes from the real Redis."""

import pytest
from django.conf import settings
from django.core.cache import cache

from articles.tasks import HEARTBEAT_KEY, heartbeat
from config.celery import app
from tests.conftest import wait_for

pytestmark = pytest.mark.integration


def test_worker_process_runs_a_maintenance_task_from_redis(celery_worker):
    cache.delete(HEARTBEAT_KEY)

    heartbeat.delay()

    assert wait_for(lambda: cache.get(HEARTBEAT_KEY), message="the heartbeat written by the worker")


def test_healthz_is_green_with_a_live_worker(client, celery_worker, settings):
    settings.CELERY_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    assert response.json()["worker"].startswith("ok")


def test_celery_is_configured_for_no_lost_tasks():
    conf = app.conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.broker_url == settings.REDIS_URL


def test_maintenance_task_routes_to_the_maintenance_queue():
    assert app.amqp.router.route({}, "articles.tasks.heartbeat")["queue"].name == "maintenance"
