import time

from django.core.cache import cache


def hit(scope: str, ident: str, *, limit: int, period: int) -> int | None:
    """Count one action in a fixed window; the seconds to wait when over the limit, else None.

    The counter lives in the shared cache (Redis), so the limit holds across web processes.
    """
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
    return request.META.get("REMOTE_ADDR", "unknown")


def comment_wait(request) -> int | None:
    """Seconds this user or address must wait before posting again, or None."""
    from django.conf import settings

    for scope, ident in [("comment-user", str(request.user.pk)), ("comment-ip", client_ip(request))]:
        wait = hit(scope, ident, limit=settings.COMMENT_RATE_LIMIT, period=settings.COMMENT_RATE_PERIOD)
        if wait:
            return wait
    return None
