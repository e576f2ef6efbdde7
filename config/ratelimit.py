"""Fixed-window rate limits in the shared cache (Redis), so a limit holds across web processes.

The counts live only in Redis. When it does not answer, `hit` raises LimiterUnavailable and the
caller chooses: signed-in actions fail open (counting them is not worth refusing a reader), and
anonymous forms fail closed with 503 and Retry-After (nothing else would hold back a flood).
"""

import time

from django.conf import settings
from django.core.cache import caches
from python_ipware import IpWare
from redis import RedisError


class LimiterUnavailable(Exception):
    """Redis, which holds the counts, did not answer."""

    retry_after = 30  # seconds a refused client is told to wait


def hit(scope: str, ident: str, *, limit: int, period: int) -> int | None:
    """Count one action in a fixed window; the seconds to wait when over the limit, else None."""
    cache = caches["strict"]
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{ident}:{window}"
    try:
        count = _count(cache, key, timeout=period + 1)
    except RedisError as error:
        raise LimiterUnavailable(str(error)) from error
    if count > limit:
        return _seconds_left(window, period)
    return None


# The count and, in a new window, its expiry in one round trip (add then incr took two, and a
# comment POST counts two limits: four of its ten Redis round trips).
_COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def _count(cache, key: str, *, timeout: int) -> int:
    if hasattr(cache, "client"):  # django-redis: the script through the fail-fast client
        return cache.client.get_client(write=True).eval(_COUNT_SCRIPT, 1, cache.make_key(key), timeout)
    cache.add(key, 0, timeout=timeout)  # the local-memory cache of a site without Redis
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def _seconds_left(window: int, period: int) -> int:
    return max(1, int((window + 1) * period - time.time()) + 1)


def blocked(scope: str, ident: str, *, limit: int, period: int) -> int | None:
    """The seconds to wait when this window already holds `limit` actions, else None; counts nothing.

    For limits on failures (wrong passwords): ask before trying, count with `hit` after failing.
    """
    window = int(time.time() // period)
    try:
        count = caches["strict"].get(f"ratelimit:{scope}:{ident}:{window}") or 0
    except RedisError as error:
        raise LimiterUnavailable(str(error)) from error
    if count >= limit:
        return _seconds_left(window, period)
    return None


def client_ip(request) -> str:
    """The client's address: the peer's, or read from X-Forwarded-For through the trusted proxies only.

    The peer (REMOTE_ADDR) counts as the last hop, so with one trusted proxy the client is the
    address that proxy appended. Without a proxy configured X-Forwarded-For is ignored: any
    client can write it.
    """
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not (settings.TRUSTED_PROXY_COUNT or settings.TRUSTED_PROXIES):
        return peer
    resolver = IpWare(
        precedence=("HTTP_X_FORWARDED_FOR",),
        proxy_count=settings.TRUSTED_PROXY_COUNT or None,
        proxy_list=settings.TRUSTED_PROXIES or None,
    )
    # Not strict: junk a client wrote at the left end of the header is skipped; the right end,
    # written by the proxies, decides. A chain that does not end in the proxies gives None.
    ip, _trusted = resolver.get_client_ip({"HTTP_X_FORWARDED_FOR": f"{forwarded}, {peer}"}, strict=False)
    return str(ip) if ip is not None else peer
