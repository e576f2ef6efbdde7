import time

from django.conf import settings
from django.core.cache import cache


def correction_wait(ip: str) -> int | None:
    """Count one report from this address; the seconds to wait when over the limit, else None.

    A fixed window in the shared cache (Redis), so the limit holds across web processes.
    """
    limit, period = settings.CORRECTION_RATE_LIMIT, settings.CORRECTION_RATE_PERIOD
    window = int(time.time() // period)
    key = f"ratelimit:correction-ip:{ip}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count > limit:
        return max(1, int((window + 1) * period - time.time()) + 1)
    return None


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"
