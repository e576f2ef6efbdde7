"""Whole responses for anonymous readers, cached in Redis and described to shared caches.

What a reader sees depends on a few versions kept in Redis (an article's content and
corrections, its thread, the site settings). Each version is the time of the last change in
microseconds, so it gives the ETag and Last-Modified too. A cached response remembers the
versions it was built from; a response built from older versions is rebuilt. Writers announce
what they changed (delivery/changes.py), which bumps the versions on their commit. Each process
keeps copies of the versions it read, which Redis retires the moment one changes (client
tracking, delivery/redis_client.py), so a 304 takes no round trip and a cached page one GET.

Anonymous means: no session cookie, no messages cookie, no Authorization header. Such a request
sees exactly what every other anonymous reader sees, so its response is shared, carries no CSRF
token and no Set-Cookie, and says `Cache-Control: public` for caches in front of the site.
Everyone else gets the view's own response with `private, no-store`.

Views say what they depend on with @public_cache; PublicCacheMiddleware answers for them before
sessions, CSRF, authentication and the view run (delivery/fast_path.py: before Django's handling
at all). A view that reads no credentials (the live updates) shares its answer with signed-in
readers too. Timed in one process (CPU per request, the seed article with 200 comments), a 304
went from 0.26 to about 0.15 ms and a cached page from 0.28 to about 0.16 ms (a bare view
returning the same bytes: 0.11 ms): cProfile showed the rest spent in middleware an anonymous
cached answer does not need and in dispatching the view. The next largest part was the MGET of
the versions (about 0.04 ms of client CPU, and the Redis server's own work on the same cores):
with tracked copies of the versions a 304 went from 0.16 to 0.20 ms to 0.07 to 0.09 ms (the
bare view 0.14 to 0.17 ms, timed side by side that day).
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache, wraps
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from config.ratelimit import LimiterUnavailable, hit
from delivery.bumps import now_us
from delivery.cache_keys import canonical_host, query_values
from delivery.held import local_entries
from delivery.redis_client import tracked_copies

# How long a built response stays in Redis; any version change retires it sooner.
ENTRY_SECONDS = 600
# The longest a stale response is served while one process builds its successor.
BUILD_SECONDS = 5
# A version no write has set yet starts at the first read and is kept this long: an address made
# up by a reader (/articles/<any slug>/) must not leave a key in Redis for ever. One that expires
# starts again later than any response built from it, so nothing stale can match it.
FIRST_VERSION_SECONDS = 24 * 3600


# Every Redis call of this module goes through these helpers, so one place decides what a Redis
# fault means for a reader.
def _get_many(keys: list[str]) -> dict:
    return cache.get_many(keys)


def _get(key: str):
    return cache.get(key)


def _set(key: str, value, timeout: int | None) -> None:
    cache.set(key, value, timeout)


def get_many(keys: list[str]) -> dict:
    """What Redis holds at these keys, in one round trip (the readers' kept state reads its own)."""
    return _get_many(keys)


def keep(key: str, value, timeout: int | None) -> None:
    """Keep a value at a key of one's own, for `timeout` seconds (None: until evicted)."""
    _set(key, value, timeout)


def _get_or_set(key: str, value) -> int:
    return cache.get_or_set(key, value, timeout=FIRST_VERSION_SECONDS)


def _add(key: str, value, timeout: int) -> bool:
    return cache.add(key, value, timeout)


def _delete(key: str) -> None:
    cache.delete(key)


def _read(keys: list[str], entry_key: str | None = None) -> tuple[list | None, object]:
    """The versions of these keys as Redis holds them (None: not set yet) and, if asked, what is
    stored at entry_key, in at most one round trip; (None, None) if Redis is unreachable.

    With Redis, the versions come from this process's tracked copies (delivery/redis_client.py,
    TrackedCopies), which Redis retires the moment a writer bumps one: an unchanged version
    costs no round trip."""
    where = settings.CACHES["default"]
    where = where.get("OPTIONS", {}).get("CACHE", where)  # the backend a wrapper keeps (config.replicas)
    if not where["BACKEND"].startswith("django_redis."):
        found = _get_many([*keys, entry_key] if entry_key else keys)
        return [found.get(key) for key in keys], found.get(entry_key)
    location, options = where["LOCATION"], where.get("OPTIONS", {})
    copies = tracked_copies(
        location if isinstance(location, str) else location[0],  # the primary, which takes the bumps
        connect_timeout=options.get("SOCKET_CONNECT_TIMEOUT", settings.REDIS_CONNECT_TIMEOUT),
        socket_timeout=options.get("SOCKET_TIMEOUT", settings.REDIS_SOCKET_TIMEOUT),
    )
    backend = caches["default"]  # once: each attribute of the `cache` proxy looks it up again
    found = copies.get_many(
        [backend.make_key(key) for key in keys], also=backend.make_key(entry_key) if entry_key else None
    )
    if found is None:
        return None, None
    decode = backend.client.decode
    values, entry = found
    return [None if value is None else decode(value) for value in values], entry and decode(entry)


def _stamp(keys: list[str], entry_key: str | None = None) -> tuple[list[int] | None, object]:
    """The current versions of these keys (a missing one starts now) and, if asked, what is stored
    at entry_key; (None, None) if Redis is unreachable."""
    found, entry = _read(keys, entry_key)
    if found is None:
        return None, None
    return stamp_from(dict(zip(keys, found, strict=True)), keys), entry


def stamp_from(found: dict, keys: list[str]) -> list[int]:
    """The versions of `keys` in `found` (what a read of them answered); a missing one starts now."""
    return [found.get(key) or _get_or_set(key, now_us()) for key in keys]


def remembered(key: str, compute: Callable[[], object]):
    """A value that never changes once it exists (None is not remembered)."""
    value = _get_many([key]).get(key)
    if value is None:
        value = compute()
        if value is not None:
            _set(key, value, None)
    return value


_held: dict[str, tuple[list[int], object]] = {}


def held(key: str, version_keys: list[str], load: Callable[[], object]):
    """What load() returns, held by this process while these versions hold (from the tracked
    copies: no round trip while unchanged). For a small value nearly every request reads."""
    stamp = versions(version_keys)
    kept = _held.get(key)
    if kept and kept[0] == stamp:
        return kept[1]
    value = load()
    _held[key] = (stamp, value)
    return value


def versioned(key: str, version_keys: list[str], build: Callable[[], object], *, extra: tuple = ()):
    """What build() returns, kept (unless None) until one of the versions or `extra` changes: one GET."""
    stamp, entry = _stamp(version_keys, key)
    if stamp is None:  # Redis unreachable: built, not kept
        return build()
    stamp += extra
    if entry and entry[0] == stamp:
        return entry[1]
    value = build()
    if value is not None and None not in stamp:
        _set(key, (stamp, value), ENTRY_SECONDS)
    return value


def versions(keys: list[str]) -> list[int]:
    """The current versions of these keys (a missing one starts now)."""
    return _stamp(keys)[0] or [now_us() for _ in keys]


def is_anonymous(request: HttpRequest) -> bool:
    """No session, no flash message, no token: what every anonymous reader gets, without a query."""
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def _public_headers(response: HttpResponse, stamp: list[int], etag: str, policy: "Policy") -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(max(stamp) // 1_000_000)
    response["Cache-Control"] = policy.cache_control or (
        f"public, max-age={settings.PUBLIC_MAX_AGE}, "
        f"stale-while-revalidate={settings.PUBLIC_STALE_WHILE_REVALIDATE}"
    )
    return response


class Policy(NamedTuple):
    version_keys: Callable[..., list[str] | None]
    params: tuple[tuple[str, Callable[[str], object]], ...]
    vary: tuple[str, ...]
    everyone: bool
    cache_control: str | None


def public_cache(
    version_keys: Callable[..., list[str] | None],
    *,
    params: Mapping[str, Callable[[str], object]] | None = None,
    vary: Iterable[str] = ("Cookie",),
    everyone: bool = False,
    cache_control: str | None = None,
):
    """Mark a GET view whose 200 answers to anonymous readers PublicCacheMiddleware serves from
    Redis, with ETag and 304s; signed-in readers get the view's own answer, `private, no-store`.

    version_keys(**view_kwargs) names the versions the answer depends on (None: do not cache);
    `params` are the query parameters that change the answer, each with how it is read
    (delivery/cache_keys.py: word, number, row_id, cursor; others are ignored, so they cannot fill the cache, and an answer to
    a value that does not read is not kept); `vary` the request headers that decide whether the
    reader is anonymous. `everyone`: the view reads no credentials, so signed-in readers share
    the answer too. `cache_control` replaces the public max-age and stale-while-revalidate.
    A view that finds the address asks for nothing it can show (a permalink to no visible
    comment, an unknown sort) calls not_kept(request): its answer is then not stored.
    """
    policy = Policy(version_keys, tuple((params or {}).items()), tuple(vary), everyone, cache_control)

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                if not (everyone or is_anonymous(request)):
                    response["Cache-Control"] = "private, no-store"
                patch_vary_headers(response, policy.vary)
            return response

        wrapper.public_cache = policy
        return wrapper

    return decorator


class PublicCacheMiddleware:
    """Answers anonymous readers' GETs of public_cache views from Redis, before sessions, CSRF,
    authentication and the URL's view: no Redis round trip for a 304, one GET for a cached page.

    It sits after SecurityMiddleware and WhiteNoise and before SessionMiddleware. A response it
    stores went through every middleware inside it (CSP, X-Frame-Options, Content-Length), so a
    cached answer carries the same headers as the one built.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        policy, kwargs = shared_policy(request)
        keys = policy.version_keys(**kwargs) if policy else None
        if keys is None:  # not a cached view, or nothing to show (the view answers 404)
            return self.get_response(request)
        response = self._serve(request, keys, policy)
        patch_vary_headers(response, policy.vary)
        return response

    def _serve(self, request: HttpRequest, keys: list[str], policy: Policy) -> HttpResponse:
        # The host is part of it: pages hold absolute links (JSON-LD, the API's `next`).
        host, query = canonical_host(request), query_values(request, policy.params)
        if host is None or query is None:  # another spelling of an address: answered, never kept
            return self.get_response(request)
        # Built from what the parameters read as, in JSON: no value can pass for another parameter.
        address = json.dumps([request.scheme, host, request.path, query], separators=(",", ":"))
        entry_key = "page:v4:" + hashlib.sha256(address.encode()).hexdigest()
        conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        # A conditional request usually ends in a 304, and an answer this process holds needs no
        # GET either: both read the versions only (from the tracked copies: no round trip).
        held = local_entries.get(entry_key)
        stamp, entry = _stamp(keys, None if conditional or held else entry_key)
        if stamp is None:  # Redis unreachable: built from the database, not kept
            return self.get_response(request)
        etag = _etag(address, stamp)
        if conditional:
            answer = get_conditional_response(request, etag=etag, last_modified=max(stamp) // 1_000_000)
            if answer is not None:
                return _public_headers(
                    HttpResponseNotModified() if answer.status_code == 304 else answer, stamp, etag, policy
                )
        if held and held[0] == stamp and time.time() < held[3]:
            return _public_headers(_replay(held), stamp, etag, policy)
        if conditional or held:
            entry = _get(entry_key)
        if entry and entry[0] == stamp and time.time() < entry[3]:
            local_entries.put(entry_key, entry)
            return _public_headers(_replay(entry), stamp, etag, policy)
        if entry and not _add(entry_key + ":building", 1, BUILD_SECONDS):
            # Another process is building the new one: the old one a moment longer, rather than
            # every reader of a busy page building it at once after each approved comment.
            return _public_headers(_replay(entry), entry[0], _etag(address, entry[0]), policy)
        try:
            return self._build(request, entry_key, stamp, etag, policy, keys=keys, existed=bool(entry))
        finally:
            if entry:
                _delete(entry_key + ":building")

    def _build(
        self, request: HttpRequest, entry_key: str, stamp: list[int], etag: str, policy: Policy, **entry
    ) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            return response
        if response.cookies:
            # It handed this reader a token or a cookie: theirs alone.
            response["Cache-Control"] = "private, no-store"
            return response
        # A view may shorten the entry's life for a change no write announces (comments closing).
        timeout = getattr(response, "public_cache_seconds", ENTRY_SECONDS)
        kept = timeout > 0 and not getattr(request, _NOT_KEPT, False)
        if kept and (entry["existed"] or _admitted(entry["keys"])):
            headers = [(name, value) for name, value in response.items() if name not in _OWN_HEADERS]
            kept_entry = (stamp, headers, response.content, time.time() + timeout)
            _set(entry_key, kept_entry, timeout)
            local_entries.put(entry_key, kept_entry)
        return _public_headers(response, stamp, etag, policy)


_NOT_KEPT = "_pagecache_not_kept"


def not_kept(request: HttpRequest) -> None:
    """This answer is right but not worth a place of its own (the address asks for nothing the
    view can show, which it answers as a plainer address): do not store it."""
    setattr(request, _NOT_KEPT, True)


def _admitted(version_keys: list[str]) -> bool:
    """Whether one more answer built from these versions (an article's pages, or its API pages,
    or its live answers) may be stored: at most PAGE_CACHE_ENTRIES new ones per ENTRY_SECONDS,
    so one article's addresses cannot fill Redis however they are varied (at most twice that
    many live at once: a window's entries outlive it by up to one window)."""
    ident = hashlib.sha256("|".join(version_keys).encode()).hexdigest()[:32]
    try:
        return not hit("page-entries", ident, limit=settings.PAGE_CACHE_ENTRIES, period=ENTRY_SECONDS)
    except LimiterUnavailable:
        return False


def shared_policy(request: HttpRequest) -> tuple[Policy | None, dict]:
    """The public_cache policy and view arguments when this request may get a shared answer."""
    if request.method not in ("GET", "HEAD"):
        return None, {}
    policy, kwargs = _policy_for(settings.ROOT_URLCONF, request.path_info)
    return (policy, kwargs) if policy and (policy.everyone or is_anonymous(request)) else (None, {})


@lru_cache(maxsize=4096)
def _policy_for(urlconf: str, path: str) -> tuple[Policy | None, dict]:
    """The public_cache policy of the view at this address, and its arguments. Remembered, as
    the URLconf cannot change while the process runs: resolving took a fifth of a 304's time."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None, {}
    return getattr(match.func, "public_cache", None), match.kwargs


# Set on every answer from the versions, never stored with a cached one.
_OWN_HEADERS = {"ETag", "Last-Modified", "Cache-Control"}


def _replay(entry: tuple) -> HttpResponse:
    response = HttpResponse(entry[2])
    for name, value in entry[1]:
        response[name] = value
    return response


def _etag(address: str, stamp: list[int]) -> str:
    return '"{}"'.format(hashlib.sha256(f"{address}|{stamp}".encode()).hexdigest()[:24])
