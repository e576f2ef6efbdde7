"""Celery wired for real: a worker process consumes from the real Redis."""

import pytest
from django.conf import settings
from django.core.cache import caches

from config.celery import app
from config.tasks import HEARTBEAT_KEY, heartbeat
from tests.conftest import wait_for

pytestmark = pytest.mark.integration


def test_worker_process_runs_a_maintenance_task_from_redis(celery_worker):
    caches["strict"].delete(HEARTBEAT_KEY)

    heartbeat.delay()

    assert wait_for(
        lambda: caches["strict"].get(HEARTBEAT_KEY), message="the heartbeat written by the worker"
    )


def test_healthz_is_green_as_soon_as_a_worker_has_started(client, celery_worker, settings):
    settings.CELERY_EAGER = False

    response = client.get("/healthz")  # beat has not run: the worker wrote its heartbeat on start

    assert response.status_code == 200, response.json()
    assert response.json()["worker"].startswith("ok")


def test_beat_sends_the_heartbeat_often_enough_for_healthz():
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]

    assert entry["task"] == heartbeat.name
    assert entry["schedule"] == settings.WORKER_HEARTBEAT_SECONDS


def test_celery_is_configured_for_no_lost_tasks():
    conf = app.conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.broker_url == settings.REDIS_URL


def test_maintenance_task_routes_to_the_maintenance_queue():
    assert app.amqp.router.route({}, "config.tasks.heartbeat")["queue"].name == "maintenance"
