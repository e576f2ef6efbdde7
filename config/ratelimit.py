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
    return hit_first([(scope, ident, limit)], period=period)


def _keys(limits: list[tuple[str, str, int]], window: int) -> list[str]:
    return [f"ratelimit:{scope}:{ident}:{window}" for scope, ident, _ in limits]


def hit_first(limits: list[tuple[str, str, int]], *, period: int, now: float | None = None) -> int | None:
    """Count one action against each (scope, ident, limit) in turn, stopping at the first one over
    its limit (the later ones count nothing then); the seconds to wait, else None. One round trip
    for all: a comment POST counts the user's limit and the address's. `now` names the moment
    counted, for a later give_back."""
    cache = caches["strict"]
    window = int((time.time() if now is None else now) // period)
    keys = _keys(limits, window)
    try:
        over = _count(cache, keys, [limit for *_, limit in limits], timeout=period + 1)
    except RedisError as error:
        raise LimiterUnavailable(str(error)) from error
    return _seconds_left(window, period) if over else None


# Each count and, in a new window, its expiry in one round trip (add then incr took two for each
# limit, and a comment POST counts two: four of its ten Redis round trips). Answers the position
# (from 1) of the first key over its limit, or 0.
_COUNT_SCRIPT = """
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[1]) end
  if count > tonumber(ARGV[i + 1]) then return i end
end
return 0
"""


def _count(cache, keys: list[str], limits: list[int], *, timeout: int) -> bool:
    """Whether one of the windows went over its limit with this action."""
    if hasattr(cache, "client"):  # django-redis: the script through the fail-fast client
        client = cache.client.get_client(write=True)
        return bool(client.eval(_COUNT_SCRIPT, len(keys), *map(cache.make_key, keys), timeout, *limits))
    for key, limit in zip(keys, limits, strict=True):  # the local-memory cache of a site without Redis
        cache.add(key, 0, timeout=timeout)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            count = 1
        if count > limit:
            return True
    return False


# Takes back one count from each window that holds any, in one round trip.
_GIVE_BACK_SCRIPT = """
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0
"""


def give_back(limits: list[tuple[str, str, int]], *, period: int, now: float) -> None:
    """Take back an action hit_first counted at `now` (an attempt reserved before its outcome was
    known, which turned out not to count: a right password). Raises LimiterUnavailable."""
    cache = caches["strict"]
    keys = _keys(limits, int(now // period))
    try:
        if hasattr(cache, "client"):
            cache.client.get_client(write=True).eval(_GIVE_BACK_SCRIPT, len(keys), *map(cache.make_key, keys))
            return
        for key in keys:  # the local-memory cache of a site without Redis
            if (cache.get(key) or 0) > 0:
                cache.decr(key)
    except RedisError as error:
        raise LimiterUnavailable(str(error)) from error


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
