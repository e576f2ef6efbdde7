"""PgBouncer in transaction pooling in front of a PostgreSQL cluster of the test's own: the site's
own tests of posting, a worker's decision, a moderator's claim and decision and ten moderators
claiming at once (SKIP LOCKED) run through it, and advisory locks hold as far as a transaction."""

import os
import subprocess
import sys
import threading

import psycopg
import pytest

from tests.conftest import IN_CI
from tests.scale.conftest import require_binaries
from tests.topology import BASE_DIR, PgBouncer, PostgresCluster

pytestmark = pytest.mark.integration

# What the site does on PostgreSQL, each already a test of its own, run again through PgBouncer.
THROUGH_THE_POOLER = [
    "tests/comments/test_integration.py::test_comment_posted_through_the_api_is_approved_by_a_worker_process",
    "tests/moderation/test_decisions_api.py::test_decision_answers_with_the_decided_item",
    "tests/moderation/test_claims_concurrency.py::test_ten_moderators_claiming_at_once_on_postgresql_never_share_an_item",
]


@pytest.fixture(scope="module")
def bouncer():
    require_binaries("initdb", "pg_ctl", "pgbouncer")
    cluster = PostgresCluster()
    pooler = None
    try:
        # Fewer server connections than clients: transactions of different clients share them.
        pooler = PgBouncer(cluster, pool_size=8)
        yield cluster, pooler
    finally:
        if pooler:
            pooler.close()
        cluster.close()


def test_the_site_posts_decides_and_claims_through_pgbouncer_in_transaction_pooling(bouncer):
    _, pooler = bouncer
    env = {
        **os.environ,
        "DATABASE_URL": pooler.url("wt_pooled"),
        "DATABASE_POOLER": "transaction",  # no server-side cursors, no prepared statements
        "CI": "true" if IN_CI else os.environ.get("CI", ""),
    }
    # --reuse-db: the test database stays (PgBouncer holds its server connections; the cluster
    # goes when this module ends).
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--reuse-db", *THROUGH_THE_POOLER],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{len(THROUGH_THE_POOLER)} passed" in done.stdout


def test_a_transaction_advisory_lock_holds_against_other_clients_until_commit(bouncer):
    _, pooler = bouncer
    holder = psycopg.connect(pooler.url(), autocommit=False)
    other = psycopg.connect(pooler.url(), autocommit=True)
    try:
        holder.execute("SELECT pg_advisory_xact_lock(29)")
        # Another client, maybe on another server connection, cannot take it while it is held...
        assert other.execute("SELECT pg_try_advisory_xact_lock(29)").fetchone()[0] is False
        taken = threading.Event()

        def wait_for_it():
            with psycopg.connect(pooler.url()) as waiter:
                waiter.execute("SELECT pg_advisory_xact_lock(29)")
                taken.set()

        waiting = threading.Thread(target=wait_for_it)
        waiting.start()
        assert not taken.wait(0.5)
        holder.commit()  # ...and takes it the moment the holder's transaction ends.
        assert taken.wait(10)
        waiting.join()
        assert other.execute("SELECT pg_try_advisory_xact_lock(29)").fetchone()[0] is True
    finally:
        holder.close()
        other.close()


def test_server_side_cursors_are_off_behind_a_transaction_pooler():
    done = subprocess.run(
        [
            sys.executable, "-c",
            "import django; django.setup(); from django.db import connections;"
            "print(connections['default'].settings_dict['DISABLE_SERVER_SIDE_CURSORS'],"
            " connections['default'].settings_dict['OPTIONS']['prepare_threshold'])",
        ],
        cwd=BASE_DIR, capture_output=True, text=True, check=True,
        env={
            **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true",
            "DATABASE_URL": "postgres://u@127.0.0.1:6432/db", "DATABASE_POOLER": "transaction",
        },
    )  # fmt: skip
    assert done.stdout.split() == ["True", "None"]
