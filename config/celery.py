import os
import smtplib

import redis
from celery import Celery
from celery.signals import worker_ready
from django.db import DatabaseError, InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Errors a task retries with backoff, because the next attempt may well succeed: Redis
# unreachable or too slow, the broker connection lost, and from the database a deadlock, a
# serialization failure or a dropped connection (Django raises those as OperationalError).
TRANSIENT_ERRORS = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError, BrokerError)
# Every task that sends mail: SMTP and network errors, the database, and the transient errors above,
# retried with backoff for about an hour and a half.
MAIL_RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException, DatabaseError, *TRANSIENT_ERRORS),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@worker_ready.connect
def _first_heartbeat(**kwargs) -> None:
    # So /healthz turns green as soon as a worker is up, not at beat's next heartbeat.
    from .tasks import heartbeat

    heartbeat()
