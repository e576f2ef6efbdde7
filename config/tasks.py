import time

from celery import shared_task
from django.core.cache import caches

HEARTBEAT_KEY = "maintenance:heartbeat"


def worker_heartbeat_key(hostname: str) -> str:
    """Where one worker's own heartbeat is kept (config/worker.py, its supervisor, reads it)."""
    return f"{HEARTBEAT_KEY}:{hostname}"


@shared_task(bind=True)
def heartbeat(self) -> float:
    """Record that a worker is taking periodic work now; /healthz reads it instead of pinging.

    Beat sends it every WORKER_HEARTBEAT_SECONDS, and each worker writes it once as it starts; a
    supervised worker also gets its own (config/worker.py) and records it under its name too.
    """
    now = time.time()
    cache = caches["strict"]
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    if self.request.hostname:
        cache.set(worker_heartbeat_key(self.request.hostname), now, timeout=24 * 3600)
    return now
