"""The errors a task retries with backoff are the ones real PostgreSQL and Redis raise.

Each error is made for real (a deadlock, a serialization failure, a stopped and a frozen Redis),
then checked against the tasks' autoretry configuration.
"""

import threading
import time

import pytest
import redis
from django.db import connection, transaction

from articles.models import Article
from config.celery import TRANSIENT_ERRORS
from corrections.tasks import send_correction_acknowledgment
from moderation.tasks import check_comment
from tests.conftest import row_locked
from tests.factories import ArticleFactory

pytestmark = pytest.mark.integration
TASKS = [check_comment, send_correction_acknowledgment]


def _lock(pk: int) -> None:
    list(Article.objects.select_for_update().filter(pk=pk))


def _deadlock() -> Exception:
    first, second = ArticleFactory(), ArticleFactory()
    holding = threading.Event()
    with row_locked("articles_article", second.pk) as other:

        def then_take_first() -> None:
            holding.wait(5)
            time.sleep(0.3)  # this test's session is waiting for `second` by now
            other.execute("SELECT 1 FROM articles_article WHERE id = %s FOR UPDATE", [first.pk])

        thread = threading.Thread(target=then_take_first)
        thread.start()
        try:
            with transaction.atomic():
                _lock(first.pk)
                holding.set()
                # This session waits first, so PostgreSQL's deadlock check (after 1 s) picks it
                # as the one to fail, and the other session then gets its lock.
                _lock(second.pk)
        except Exception as error:  # noqa: BLE001 - the deadlock is what this makes
            return error
        finally:
            thread.join(10)
    pytest.fail("no deadlock")


def _serialization_failure() -> Exception:
    article = ArticleFactory()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            Article.objects.get(pk=article.pk)
            with row_locked("articles_article", article.pk) as other:
                other.execute("UPDATE articles_article SET comment_count = 1 WHERE id = %s", [article.pk])
                other.commit()
            Article.objects.filter(pk=article.pk).update(comment_count=2)
    except Exception as error:  # noqa: BLE001
        return error
    pytest.fail("no serialization failure")


def _redis_error(spare_redis, fault: str) -> Exception:
    client = redis.Redis.from_url(spare_redis.url, socket_timeout=0.25, socket_connect_timeout=0.25)
    client.ping()
    getattr(spare_redis, fault)()
    try:
        client.ping()
    except Exception as error:  # noqa: BLE001
        return error
    pytest.fail(f"Redis answered after {fault}")


@pytest.mark.parametrize(
    "make_error, message",
    [(_deadlock, "deadlock detected"), (_serialization_failure, "could not serialize access")],
    ids=["deadlock", "serialization_failure"],
)
@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_a_postgresql_deadlock_or_serialization_failure_is_retried_with_backoff(
    task, make_error, message, postgres, transactional_db
):
    error = make_error()

    assert message in str(error)
    assert isinstance(error, task.autoretry_for)
    assert task.retry_backoff


@pytest.mark.parametrize("fault", ["stop", "freeze"])
@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_redis_stopped_or_frozen_is_retried_with_backoff(task, fault, spare_redis):
    error = _redis_error(spare_redis, fault)

    assert isinstance(error, TRANSIENT_ERRORS)
    assert isinstance(error, task.autoretry_for)
    assert task.retry_backoff
