"""The Redis client behind the caches: after a failure it stops asking for a moment.

The connect and socket timeouts (REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT) bound one call. A
page makes about ten cache calls, so with Redis frozen (SIGSTOP: the kernel still accepts the
connection, nothing answers) each would wait its own timeout, several seconds in all. After one
connection error or timeout this process therefore fails every call to that server at once for
QUIET_SECONDS, and the callers go to the database (or fail open, or closed) without waiting.
"""

import logging
import os
import threading
import time

import redis
from django.conf import settings
from redis.connection import parse_url

from config import sentinel
from config.redis_quiet import QUIET_SECONDS, quiet_until

log = logging.getLogger(__name__)


class FailFastRedis(redis.Redis):
    def execute_command(self, *args, **options):
        kwargs = self.connection_pool.connection_kwargs
        server = (kwargs.get("host"), kwargs.get("port"), kwargs.get("path"))
        if time.monotonic() < quiet_until.get(server, 0.0):
            raise redis.ConnectionError("Redis failed under a second ago; not asking it yet")
        try:
            return super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            quiet_until[server] = time.monotonic() + QUIET_SECONDS
            log.warning("Redis unreachable (%s): calls fail at once for %s s", error, QUIET_SECONDS)
            raise


# Copies are trusted only this long after Redis last answered on their connection. Redis pushes an
# invalidation the moment a tracked key changes and a closed connection shows at the next read;
# what neither shows is a connection gone silent (a frozen server, a lost network): past this, the
# next read asks Redis again, which renews the trust or fails and drops the copies.
TRUST_SECONDS = 1.0
# Every made-up address (/articles/<any slug>/) reads versions of its own: the oldest copies go
# past this many (a dropped copy is read again when needed).
MAX_COPIES = 10_000


class TrackedCopies:
    """This process's copies of a few small Redis values, kept right by the server: with RESP3
    client tracking (CLIENT TRACKING ON OPTIN, each read of copies asks with CLIENT CACHING YES)
    Redis pushes an invalidation to this connection the moment any client changes, expires or
    evicts a key read here, or flushes the database.

    Every read first takes in the pushes waiting on the socket (a poll: about 4 µs, where an MGET
    through django-redis costs about 40 µs of CPU and the Redis server's own work), so a change
    whose push has arrived is never served from a copy. A writer makes sure it has arrived
    (delivery/bumps.py, bump). A closed connection drops every copy (changes could have been
    missed meanwhile) and is replaced once, as redis-py's pool does; a failed one also makes this
    process stop asking Redis for QUIET_SECONDS. A forked child starts with nothing.

    Not redis-py's own client-side cache (protocol=3 with cache_config): it refuses servers older
    than 7.4 (Debian's Redis 7.0 tracks keys as well) and deep-copies every hit under two locks.
    """

    def __init__(self, url: str, *, connect_timeout: float, socket_timeout: float):
        options = parse_url(url)
        self._connection_class = options.pop("connection_class", redis.Connection)
        self._options = {
            **options,
            "protocol": 3,
            "socket_connect_timeout": connect_timeout,
            "socket_timeout": socket_timeout,
        }
        self._server = (options.get("host"), options.get("port"), options.get("path"))
        self._conn: redis.Connection | None = None
        self._copies: dict[str, bytes] = {}
        self._trusted_until = 0.0
        self._lock = threading.Lock()

    def get_many(self, keys: list[str], *, also: str | None = None) -> tuple[list, bytes | None] | None:
        """The values of `keys` (None for a missing one), and of the key `also` if given, read in
        the same round trip but neither kept nor tracked; None if Redis is unreachable."""
        with self._lock:
            if time.monotonic() < quiet_until.get(self._server, 0.0):
                return None
            try:
                return self._get_many(keys, also)
            except (redis.RedisError, OSError) as error:
                self._drop()
                quiet_until[self._server] = time.monotonic() + QUIET_SECONDS
                log.warning("Redis unreachable (%s): calls fail at once for %s s", error, QUIET_SECONDS)
                return None

    def _get_many(self, keys: list[str], also: str | None) -> tuple[list, bytes | None]:
        conn = self._connected()
        try:
            while conn.can_read(0):
                conn.read_response(push_request=True)
        except redis.ConnectionError:  # closed by the server (a restart): a new connection, once
            self._drop()
            conn = self._connected()
        copies = self._copies
        values = None
        if time.monotonic() < self._trusted_until:
            values = [copies.get(key) for key in keys]
            if None in values:
                values = None
            elif also is None:
                return values, None
        # OPTIN tracking: only a read right after CLIENT CACHING YES is tracked, so `also` (a
        # stored page, read here as it costs a third of a GET through django-redis) is not.
        commands = [] if values is not None else [("CLIENT", "CACHING", "YES"), ("MGET", *keys)]
        if also is not None:
            commands.append(("GET", also))
        conn.send_packed_command(conn.pack_commands(commands))
        if values is None:
            conn.read_response()
            # Pushes sent before this answer are read and applied on the way to it; a push for a
            # change after it is applied at a later read, so the values are kept before that.
            values = conn.read_response()
            self._trusted_until = time.monotonic() + TRUST_SECONDS
            copies.update((key, value) for key, value in zip(keys, values, strict=True) if value is not None)
            while len(copies) > MAX_COPIES:
                del copies[next(iter(copies))]
        return values, (conn.read_response() if also is not None else None)

    def _connected(self) -> redis.Connection:
        if self._conn is None:
            # Behind Sentinel, the master as it is now: after a failover the new connection (and
            # its tracking, _track) goes to the new master.
            master = sentinel.master_address(settings)
            options = (
                self._options if master is None else {**self._options, "host": master[0], "port": master[1]}
            )
            self._conn = self._connection_class(**options)
            self._conn.register_connect_callback(self._track)
        return self._conn

    def _track(self, conn: redis.Connection) -> None:
        conn.send_command("CLIENT", "TRACKING", "ON", "OPTIN")
        conn.read_response()
        conn._parser.set_invalidation_push_handler(self._invalidate)

    def _invalidate(self, message: list) -> None:
        if message[1] is None:  # FLUSHDB, FLUSHALL
            self._copies.clear()
        else:
            for key in message[1]:
                self._copies.pop(key.decode(), None)

    def _drop(self) -> None:
        self._copies.clear()
        self._trusted_until = 0.0
        if self._conn is not None:
            self._conn.disconnect()
            self._conn = None


_tracked: dict[str, TrackedCopies] = {}


def tracked_copies(url: str, *, connect_timeout: float, socket_timeout: float) -> TrackedCopies:
    """This process's TrackedCopies of the Redis at `url`."""
    copies = _tracked.get(url)
    if copies is None:
        copies = _tracked[url] = TrackedCopies(
            url, connect_timeout=connect_timeout, socket_timeout=socket_timeout
        )
    return copies


def _forget_after_fork() -> None:
    # gunicorn forks its workers: a child must not read from its parent's socket, and its copies
    # would go unwatched. redis-py closes without shutting down a socket another process opened.
    for copies in _tracked.values():
        copies._drop()
    _tracked.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
