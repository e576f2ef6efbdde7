"""What `bin/test-topology` (make test-pgbouncer, make test-replica) says it runs on: each check is
a test of the run it is in, and is skipped in runs on another database path."""

import pytest
from django.db import connections
from django.test import Client

from tests.conftest import TOPOLOGY
from tests.factories import ArticleFactory, make_comment

pytestmark = pytest.mark.integration


def test_this_run_goes_through_pgbouncer_in_transaction_pooling(postgres):
    if TOPOLOGY != "pgbouncer":
        pytest.skip("the run through PgBouncer checks this (bin/test-topology pgbouncer)")
    settings_dict = connections["default"].settings_dict
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT inet_server_port()")
        server_port = cursor.fetchone()[0]
    # Django connects to PgBouncer's port; the server behind it answers on its own.
    assert int(settings_dict["PORT"]) != server_port
    assert settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_this_run_reads_anonymous_pages_and_the_api_from_a_streaming_replica(postgres):
    if TOPOLOGY != "replica":
        pytest.skip("the run with a streaming replica checks this (bin/test-topology replica)")
    article = ArticleFactory(slug="story")
    make_comment(article=article, body="Read from the replica")
    replica = connections["replica0"]
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True  # a standby, not the primary under another name
    seen = []
    with replica.execute_wrapper(lambda execute, sql, *rest: seen.append(sql) or execute(sql, *rest)):
        answer = Client().get("/api/v1/articles/story/comments/")
    assert answer.status_code == 200
    assert "Read from the replica" in answer.content.decode()
    assert any("comments_comment" in sql for sql in seen)
