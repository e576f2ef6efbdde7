from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "maintenance:heartbeat"


@shared_task
def heartbeat() -> str:
    """Record that a worker ran periodic work just now (read by operators and tests)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
