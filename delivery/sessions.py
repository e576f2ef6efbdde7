"""Sessions kept in the database and read through the fail-soft cache, with short-lived copies.

Django's `cached_db` keeps a session's copy in the cache as long as the session lives (two weeks).
A sign-out while Redis is unreachable deletes the session's row but cannot delete its copy, and a
Redis that comes back with its data (after a freeze, from a snapshot) would honour that cookie
again for the rest of those two weeks. Copies here live at most `SESSION_CACHE_SECONDS`: such a
cookie works again for at most that long, while a signed-in page still reads its session from
Redis (a miss reads the row and puts the copy back).
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class _ShortLived:
    """The session cache, with every copy's timeout capped (other calls pass through)."""

    def __init__(self, cache, seconds: int):
        self._cache = cache
        self._seconds = seconds

    def set(self, key, value, timeout=None, **kwargs):
        timeout = self._seconds if timeout is None else min(timeout, self._seconds)
        return self._cache.set(key, value, timeout, **kwargs)

    def __contains__(self, key) -> bool:
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortLived(self._cache, settings.SESSION_CACHE_SECONDS)
