import time

from celery import shared_task
from django.core.cache import caches

HEARTBEAT_KEY = "maintenance:heartbeat"


@shared_task
def heartbeat() -> float:
    """Record that a worker is taking periodic work now; /healthz reads it instead of pinging.

    Beat sends it every WORKER_HEARTBEAT_SECONDS, and each worker writes it once as it starts.
    """
    now = time.time()
    caches["strict"].set(HEARTBEAT_KEY, now, timeout=None)
    return now
