"""The Celery broker's transport: kombu's Redis transport, with what a Redis fault did to it mended.

kombu's Redis transport emulates acks: a delivered message is kept in a hash (`unacked`) until
the worker acks it, and the worker takes no further message while `prefetch` of them are
delivered and not acked (virtual.QoS.can_consume). Two faults stopped moderation:

1. A failed ack wedged the worker. QoS.ack removes the message from the hash first and only then
   frees its prefetch slot; when Redis is frozen (SIGSTOP) the removal times out, the slot is
   never freed and, with prefetch 1, the worker never takes another message though it answers
   pings. Here the slot is freed whatever Redis answers, and the removal is kept and tried again
   (each channel's periodic restore tick, every `unacked_restore_interval` seconds). Should it
   never land, the message is redelivered after the visibility timeout, and the tasks are safe to
   run twice.
2. A Redis restart killed the worker. Closing a channel restores its unacked messages to their
   queues; after a lost connection the channel's connection has already been released, and the
   restore died on `'NoneType' object has no attribute 'hostname'`, which reached Celery as an
   unrecoverable error. Here a restore that cannot be made now is kept and made later the same way.

And a publish fails fast, as the caches' calls do: after a failure this process does not ask that
Redis again for a second (Channel._put).

Used through CELERY_BROKER_TRANSPORT (config/settings.py) with a redis:// broker URL.
"""

import contextlib
import logging
import threading
import time

import redis
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual

from . import redis_quiet

log = logging.getLogger(__name__)

# Acks (False) and restores (True) Redis did not take, by (the channel's unacked hash, delivery
# tag): per process, retried by whichever channel of this process ticks next.
_unsettled: dict[tuple[str, str], bool] = {}
_lock = threading.Lock()


def unsettled() -> dict[tuple[str, str], bool]:
    """A copy of what this process still has to tell Redis (for tests and logs)."""
    with _lock:
        return dict(_unsettled)


class QoS(kombu_redis.QoS):
    def append(self, message, delivery_tag):
        try:
            super().append(message, delivery_tag)
        except Exception as error:  # noqa: BLE001 - delivered all the same: the sweep is the net
            log.warning("could not record delivery %s in Redis (%r); running it anyway", delivery_tag, error)
            virtual.QoS.append(self, message, delivery_tag)

    def ack(self, delivery_tag):
        try:
            self._remove_from_indices(delivery_tag).execute()
        except Exception as error:  # noqa: BLE001 - any failure: the slot must be freed below
            self._keep(delivery_tag, restore=False, error=error)
        virtual.QoS.ack(self, delivery_tag)  # frees the prefetch slot

    def reject(self, delivery_tag, requeue=False):
        try:
            if requeue:
                self.restore_by_tag(delivery_tag, leftmost=True)
            else:
                self._remove_from_indices(delivery_tag).execute()
        except Exception as error:  # noqa: BLE001
            self._keep(delivery_tag, restore=requeue, error=error)
        virtual.QoS.ack(self, delivery_tag)

    def restore_unacked(self, client=None):
        for tag in list(self._delivered):
            try:
                self.restore_by_tag(tag, client=client)
            except Exception as error:  # noqa: BLE001 - a closed connection, Redis gone: later
                self._keep(tag, restore=True, error=error)
        self._delivered.clear()

    def restore_visible(self, *args, **kwargs):
        # The periodic tick of the event loop: an error escaping here stops the worker.
        self.settle_kept()
        try:
            return super().restore_visible(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - Redis away, or this channel's connection released
            log.debug("could not look for messages to restore (%r); next tick", error)
            return None

    def settle_kept(self) -> int:
        """Tell Redis the acks and restores it missed, in order, until one fails; how many landed."""
        with _lock:
            mine = [(tag, restore) for (key, tag), restore in _unsettled.items() if key == self.unacked_key]
        done = 0
        for tag, restore in mine:
            try:
                if restore:
                    self.restore_by_tag(tag, leftmost=True)
                else:
                    self._remove_from_indices(tag).execute()
            except Exception:  # noqa: BLE001 - still unreachable: the next tick tries again
                break
            with _lock:
                _unsettled.pop((self.unacked_key, tag), None)
            done += 1
        if done:
            log.info("told Redis %d acks or restores it had missed", done)
        return done

    def _keep(self, tag: str, *, restore: bool, error: Exception) -> None:
        log.warning(
            "Redis did not take the %s of message %s (%r): kept, and tried again shortly",
            "restore" if restore else "ack",
            tag,
            error,
        )
        with _lock:
            _unsettled[(self.unacked_key, tag)] = restore


class Channel(kombu_redis.Channel):
    """Publishes fail at once while this process saw the broker's Redis fail under a second ago
    (config/redis_quiet.py, shared with the caches): a request that queues a task waits out at
    most one timeout a second, not one per request (the sweep queues what was not sent). A new
    channel pings Redis, and a publish after a failure makes a new one: both are guarded."""

    QoS = QoS

    def __init__(self, connection, *args, **kwargs):
        conninfo = connection.client
        server = (conninfo.hostname or "127.0.0.1", int(conninfo.port or 6379), None)
        with _failing_fast(server):
            super().__init__(connection, *args, **kwargs)

    def _put(self, queue, message, **kwargs):
        options = self.pool.connection_kwargs
        with _failing_fast((options.get("host"), options.get("port"), options.get("path"))):
            return super()._put(queue, message, **kwargs)


@contextlib.contextmanager
def _failing_fast(server: tuple):
    if time.monotonic() < redis_quiet.quiet_until.get(server, 0.0):
        raise redis.ConnectionError("Redis failed under a second ago; not asking it yet")
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        redis_quiet.quiet_until[server] = time.monotonic() + redis_quiet.QUIET_SECONDS
        raise


class Transport(kombu_redis.Transport):
    Channel = Channel


class SentinelChannel(Channel, kombu_redis.SentinelChannel):
    """The same, on a Redis the Sentinels name (REDIS_SENTINELS, config/sentinel.py)."""


class SentinelTransport(kombu_redis.SentinelTransport):
    Channel = SentinelChannel
