import os

import redis
from celery import Celery
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Errors a task retries with backoff, because the next attempt may well succeed: Redis
# unreachable or too slow, the broker connection lost, and from the database a deadlock, a
# serialization failure or a dropped connection (Django raises those as OperationalError).
TRANSIENT_ERRORS = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError, BrokerError)


@worker_ready.connect
def _first_heartbeat(**kwargs) -> None:
    # So /healthz turns green as soon as a worker is up, not at beat's next heartbeat.
    from .tasks import heartbeat

    heartbeat()
