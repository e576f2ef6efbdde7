"""Fixed-window rate limits in the shared cache (Redis), so a limit holds across web processes."""

import time

from django.core.cache import cache


def hit(scope: str, ident: str, *, limit: int, period: int) -> int | None:
    """Count one action in a fixed window; the seconds to wait when over the limit, else None."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{ident}:{window}"
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
