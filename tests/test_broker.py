"""The broker transport (config/broker.py) against a redis-server of the test's own, which the test
freezes (SIGSTOP) and stops: a failed ack frees the worker for its next message, and an ack or a
restore Redis missed is made once it answers again."""

import time

import pytest
import redis
from django.conf import settings
from kombu import Connection, Consumer, Exchange, Producer, Queue

from config import broker

pytestmark = pytest.mark.integration

QUEUE = Queue("faults", Exchange("faults"), "faults")


def _connection(url: str) -> Connection:
    return Connection(
        url,
        transport=settings.CELERY_BROKER_TRANSPORT,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    )


def _publish(url: str, count: int) -> None:
    with _connection(url) as conn:
        producer = Producer(conn)
        for n in range(count):
            producer.publish({"n": n}, exchange=QUEUE.exchange, routing_key="faults", declare=[QUEUE])


class Worker:
    """What a Celery worker does with the transport: prefetch 1, ack after the work."""

    def __init__(self, url: str):
        self.conn = _connection(url)
        self.channel = self.conn.channel()
        self.received = []
        consumer = Consumer(
            self.channel, [QUEUE], callbacks=[lambda body, message: self.received.append(message)]
        )
        consumer.qos(prefetch_count=1)
        consumer.consume()

    def take(self):
        before = len(self.received)
        self.conn.drain_events(timeout=3)
        assert len(self.received) == before + 1
        return self.received[-1]

    def close(self):
        self.conn.release()


@pytest.fixture(autouse=True)
def _nothing_kept():
    broker._unsettled.clear()
    yield
    broker._unsettled.clear()


def test_worker_whose_ack_timed_out_on_a_frozen_redis_takes_its_next_message(spare_redis):
    _publish(spare_redis.url, 2)
    worker = Worker(spare_redis.url)
    first = worker.take()
    assert not worker.channel.qos.can_consume()  # prefetch 1: busy until the ack

    spare_redis.freeze()
    try:
        first.ack()  # times out: Redis does not answer
        assert broker.unsettled() == {("unacked", first.delivery_tag): False}
        assert worker.channel.qos.can_consume()
    finally:
        spare_redis.thaw()

    second = worker.take()
    second.ack()
    assert worker.channel.qos.settle_kept() == 1
    assert broker.unsettled() == {}
    assert redis.Redis.from_url(spare_redis.url).hlen("unacked") == 0  # neither will come again
    worker.close()


def test_message_whose_restore_failed_on_a_frozen_redis_goes_back_to_its_queue_later(spare_redis):
    _publish(spare_redis.url, 1)
    worker = Worker(spare_redis.url)
    message = worker.take()

    spare_redis.freeze()
    try:
        worker.channel.qos.restore_unacked()  # what closing the channel does: no error escapes
    finally:
        spare_redis.thaw()
    assert broker.unsettled() == {("unacked", message.delivery_tag): True}

    again = Worker(spare_redis.url)
    again.channel.qos.restore_visible()  # the periodic tick of the event loop
    assert broker.unsettled() == {}
    assert again.take().payload == {"n": 0}
    worker.close()
    again.close()


def test_closing_a_channel_after_redis_went_away_raises_nothing(spare_redis):
    _publish(spare_redis.url, 1)
    worker = Worker(spare_redis.url)
    message = worker.take()
    spare_redis.stop()

    worker.conn.collect()  # what Celery does after a lost connection
    worker.channel.close()
    message.ack()

    assert ("unacked", message.delivery_tag) in broker.unsettled()
    spare_redis.start()
    fresh = Worker(spare_redis.url)
    fresh.channel.qos.restore_visible()
    assert broker.unsettled() == {}
    fresh.close()


def test_ten_tasks_queued_while_redis_is_frozen_give_up_within_a_second_in_all(spare_redis):
    from config.celery import app
    from moderation.tasks import check_comment
    from tests.conftest import broker_at

    app.conf.task_always_eager = False
    failures = 0
    with broker_at(spare_redis.url):
        check_comment.delay(1, 1)  # connected
        spare_redis.freeze()
        try:
            started = time.monotonic()
            for _ in range(10):  # what ten comment POSTs in a second each queue
                try:
                    check_comment.delay(1, 1)
                except Exception:  # noqa: BLE001 - the comment is saved; the sweep queues it
                    failures += 1
            elapsed = time.monotonic() - started
        finally:
            spare_redis.thaw()
        assert failures == 10
        assert elapsed < 1.0  # one socket timeout (0.25 s), then each fails at once
        time.sleep(1.1)
        check_comment.delay(1, 1)  # Redis answers again: publishing works again
