"""The many-machine parts each as a process of its own (tests/topology.py): own PostgreSQL
clusters, PgBouncer, RabbitMQ vhost, Redis with Sentinels. Each is skipped with a reason when its
binary is missing, and must run under CI=true (`make test` installs them)."""

import os
import subprocess
import sys

import pytest

from tests.conftest import require
from tests.topology import BASE_DIR, PostgresCluster, migrate, missing_binaries

# A web node of these tests: eager tasks in its own process, a local-memory cache, the checks
# without the harm model (quick to start); the database parts are what these tests are about.
SITE_ENV = {
    "DEBUG": "true",
    "REDIS_URL": "",
    "MODERATION_TOXICITY_CHECK": "false",
    "CONN_MAX_AGE": "0",
}


def pytest_collection_modifyitems(config, items):
    """These tests start clusters of their own whatever DATABASE_URL says: CI's PostgreSQL pass
    runs them, its SQLite pass (the same suite again on another database) need not. Not a
    missing service: that run chose SQLite."""
    if not os.environ.get("DATABASE_URL", "").startswith("sqlite"):
        return
    once = pytest.mark.skip(reason="the scaled-out layout runs in the PostgreSQL pass (own clusters)")
    for item in items:
        if "tests/scale/" in item.nodeid:
            item.add_marker(once)


def require_binaries(*names: str) -> None:
    missing = missing_binaries(*names)
    require(not missing, f"needs {', '.join(missing)} on PATH (make test installs them)")


def run_in_site(database_url: str, code: str) -> str:
    """Run Python in the site's Django (manage.py shell) against `database_url`; its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR, env={**os.environ, **SITE_ENV, "DATABASE_URL": database_url},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


SEED = """
from rest_framework.authtoken.models import Token
from tests.factories import ArticleFactory, UserFactory
ArticleFactory(slug="story", headline="The big story")
for _ in range(2):
    print(Token.objects.create(user=UserFactory()).key)
"""


@pytest.fixture(scope="module")
def replicated():
    """A primary of its own with a streaming replica (pg_basebackup -R), the site migrated on the
    primary, an article and two commenters' tokens. Yields (primary, replica, database, tokens)."""
    require_binaries("initdb", "pg_ctl", "pg_basebackup")
    primary = PostgresCluster()
    replica = None
    try:
        replica = PostgresCluster(primary=primary)
        primary.sql("CREATE DATABASE site")
        migrate(primary.url("site"), **SITE_ENV)
        tokens = run_in_site(primary.url("site"), SEED).splitlines()[-2:]
        yield primary, replica, "site", tokens
    finally:
        if replica:
            replica.close()
        primary.close()
