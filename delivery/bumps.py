"""Version bumps: a change recorded in Redis now, and kept and retried while Redis does not take it.

Only the registry of changes (delivery/changes.py) bumps, once a write's transaction commits; the
page cache (delivery/pagecache.py) and the readers' kept state (delivery/reader_store.py) read
the versions.
"""

import logging
import os
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache, caches

log = logging.getLogger(__name__)


def now_us() -> int:
    """A version: the time in microseconds."""
    return time.time_ns() // 1000


def bump(*keys: str, tracked: bool = True) -> None:
    """Record a change now: responses built from the old versions are stale, in every process
    from its next read of the versions on. `tracked=False` for versions never read from tracked
    copies (delivery/reader_store.py: read by one MGET), which need no read after the SET.

    A bump Redis does not take (stopped, frozen) is kept and made again every RETRY_SECONDS by a
    thread of this process until it lands: the pages built before a takedown (a rejection, a
    withhold, a deletion) would otherwise be served again for up to ENTRY_SECONDS once Redis
    answers, their versions unchanged."""
    now = now_us()
    try:
        for key in keys:
            _set_version(key, now)
    except Exception:  # noqa: BLE001 - any Redis failure: kept and retried, the caller goes on
        _keep_unbumped(keys, tracked=tracked)
        return
    if not tracked:
        return
    # Redis writes its waiting answers newest first (putClientInPendingWriteQueue links each client
    # at the head of the list), so the SET's reply can leave just before the invalidations it
    # pushes to every process's tracked copies; all leave in the same pass, before Redis reads
    # another command. One more round trip comes back after that pass: once bump() returns, each
    # push is on its process's socket, and every read there takes it in first.
    cache.get_many(list(keys))


RETRY_SECONDS = 0.5
# Versions Redis did not take, and whether they are tracked: this process retries them.
_unbumped: dict[str, bool] = {}
_unbumped_lock = threading.Lock()
_retrier: threading.Thread | None = None


def _set_version(key: str, value: int) -> None:
    """SET a version, raising when Redis does not take it (the page cache ignores its errors)."""
    backend = caches["default"]
    if settings.CACHES["default"]["BACKEND"].startswith("django_redis."):
        backend.client.set(key, value, timeout=None)  # django-redis's client: errors not swallowed
    else:
        backend.set(key, value, None)


def _keep_unbumped(keys: Iterable[str], *, tracked: bool) -> None:
    global _retrier
    log.warning("Redis did not take the versions %s: retrying every %s s", list(keys), RETRY_SECONDS)
    with _unbumped_lock:
        for key in keys:
            _unbumped[key] = _unbumped.get(key, False) or tracked
        if _retrier is None or not _retrier.is_alive():
            _retrier = threading.Thread(target=_retry_unbumped, name="version-bumps", daemon=True)
            _retrier.start()


def unbumped() -> dict[str, bool]:
    """What this process still has to bump (for tests and logs)."""
    with _unbumped_lock:
        return dict(_unbumped)


def _retry_unbumped() -> None:
    while True:
        time.sleep(RETRY_SECONDS)
        with _unbumped_lock:
            waiting = dict(_unbumped)
        if not waiting:
            return
        now = now_us()
        try:
            for key in waiting:
                _set_version(key, now)
            tracked = [key for key, is_tracked in waiting.items() if is_tracked]
            if tracked:
                cache.get_many(tracked)  # the invalidations are on every process's socket (see bump)
        except Exception:  # noqa: BLE001, S112 - not yet: the next round tries again
            continue
        with _unbumped_lock:
            for key in waiting:
                _unbumped.pop(key, None)
            if not _unbumped:
                log.warning("the versions Redis had missed are bumped: %s", list(waiting))
                return


def _forget_unbumped_after_fork() -> None:
    global _retrier, _unbumped_lock
    _retrier, _unbumped_lock = None, threading.Lock()  # the thread did not follow the fork
    _unbumped.clear()  # the parent's to retry


os.register_at_fork(after_in_child=_forget_unbumped_after_fork)
