"""The Redis client behind the caches: after a failure it stops asking for a moment.

The connect and socket timeouts (REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT) bound one call. A
page makes about ten cache calls, so with Redis frozen (SIGSTOP: the kernel still accepts the
connection, nothing answers) each would wait its own timeout, several seconds in all. After one
connection error or timeout this process therefore fails every call to that server at once for
QUIET_SECONDS, and the callers go to the database (or fail open, or closed) without waiting.
"""

import logging
import time

import redis

log = logging.getLogger(__name__)
QUIET_SECONDS = 1.0
# Per process and per server, lost on restart by design: it only saves waiting, it decides nothing.
_quiet_until: dict[tuple, float] = {}


class FailFastRedis(redis.Redis):
    def execute_command(self, *args, **options):
        kwargs = self.connection_pool.connection_kwargs
        server = (kwargs.get("host"), kwargs.get("port"), kwargs.get("path"))
        if time.monotonic() < _quiet_until.get(server, 0.0):
            raise redis.ConnectionError("Redis failed under a second ago; not asking it yet")
        try:
            return super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            _quiet_until[server] = time.monotonic() + QUIET_SECONDS
            log.warning("Redis unreachable (%s): calls fail at once for %s s", error, QUIET_SECONDS)
            raise
