"""Shared fixtures: real services (PostgreSQL, Redis, a Celery worker process, Chromium).

A test that needs a service skips with a reason when it is unreachable, except under CI=true,
where it fails: CI runs every test against the real components.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
QUEUES = ("moderation", "notifications", "maintenance")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def require(available: bool, reason: str) -> None:
    """Skip the test when a service is missing, or fail under CI=true where it must run."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: services must be available)")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql" and os.environ.get("DATABASE_URL", "").startswith("sqlite"):
        # A run chosen to be on SQLite (CI's second pass); the PostgreSQL pass runs this test.
        pytest.skip("PostgreSQL-only: this run is on SQLite by choice (DATABASE_URL=sqlite:...)")
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL=postgres://...)")
    return connection


@pytest.fixture
def redis_client():
    import redis

    require(settings.REDIS_AVAILABLE, f"needs Redis at REDIS_URL={settings.REDIS_URL!r}")
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.ping()
    return client


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Run tasks in-process unless the test asked for a real worker process."""
    from config.celery import app

    wants_worker = any(name.startswith("celery_worker") for name in request.fixturenames)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = not wants_worker
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    from delivery.held import local_entries

    for cache in caches.all():
        cache.clear()
    local_entries.clear()  # copies of what the cleared Redis held
    yield


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(**values: str) -> dict:
    """The environment of a process a test starts: the test database, no connection kept open."""
    return {**os.environ, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0", **values}


class WorkerProcess:
    """A real `celery worker` process on the test database and the real Redis."""

    def __init__(self, *, concurrency: int = 2, extra_env: dict | None = None, redis_url: str = ""):
        from config.celery import app

        redis_url = redis_url or settings.REDIS_URL
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.log = Path(settings.BASE_DIR, ".pytest_cache", f"worker-{self.name.split('@')[0]}.log")
        self.log.parent.mkdir(exist_ok=True)
        env = child_env(REDIS_URL=redis_url, **(extra_env or {}))
        cmd = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "-Q", ",".join(QUEUES), "-n", self.name, "--concurrency", str(concurrency),
            "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        self._logfile = self.log.open("w")
        self.proc = subprocess.Popen(
            cmd, cwd=settings.BASE_DIR, env=env, stdout=self._logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        with broker_at(redis_url) if redis_url != settings.REDIS_URL else contextlib.nullcontext():
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"celery worker exited early:\n{self.log.read_text()}")
                if app.control.ping(destination=[self.name], timeout=0.5):
                    return
        self.stop()
        raise RuntimeError(f"celery worker did not answer within 30s:\n{self.log.read_text()}")

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def stop(self) -> None:
        stop_process(self.proc)
        self._logfile.close()


@contextlib.contextmanager
def row_locked(table: str, pk: int):
    """Hold a row's lock (FOR UPDATE) from another PostgreSQL session inside the block."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(_database_url()) as other:
        other.execute(
            sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(sql.Identifier(table)), [pk]
        )
        yield other
        other.rollback()


@contextlib.contextmanager
def lock_timeout(seconds: float):
    """Make this test's own session give up waiting for a lock after `seconds` (not hang)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def fail_once(monkeypatch, owner, name: str, error: Exception) -> list:
    """Patch `owner.name` to raise `error` on its first call only; returns the calls' kwargs."""
    real, calls = getattr(owner, name), []

    def patched(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise error
        return real(**kwargs)

    monkeypatch.setattr(owner, name, patched)
    return calls


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisProcess:
    """A redis-server of the test's own on a spare port, to stop, freeze and start again.

    The shared Redis is never touched: faults are made on this one only.
    """

    def __init__(self):
        self.port = spare_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_for(lambda: _answers(client), timeout=10, message=f"redis-server on port {self.port}")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def freeze(self) -> None:
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.thaw()
            self.stop()


def _answers(client) -> bool:
    try:
        return client.ping()
    except Exception:  # noqa: BLE001 - not up yet
        return False


@pytest.fixture
def spare_redis():
    """Its own redis-server, which the test may stop (kill), freeze (SIGSTOP) and start again."""
    require(shutil.which("redis-server") is not None, "needs redis-server on PATH")
    server = RedisProcess()
    yield server
    server.close()


@contextlib.contextmanager
def broker_at(url: str):
    """Publish this process's tasks to the broker at `url` inside the block."""
    from kombu import pools

    from config.celery import app

    def reset() -> None:
        # Celery keeps connection and producer pools per app; drop them so the next publish
        # connects to the broker_url in force now.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    real = app.conf.broker_url
    app.conf.broker_url = url
    reset()
    try:
        yield
    finally:
        app.conf.broker_url = real
        reset()


def stop_process(proc: subprocess.Popen) -> None:
    """Ask a server process (started with start_new_session) to stop; kill its group after 15 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def purge_queues(client) -> None:
    client.delete(*QUEUES)


@pytest.fixture
def celery_worker(transactional_db, redis_client):
    """A fresh worker process for this test; its effects are committed, so the test sees them."""
    purge_queues(redis_client)
    worker = WorkerProcess()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker_factory(transactional_db, redis_client):
    """Start workers on demand (for tests that kill or restart them)."""
    purge_queues(redis_client)
    workers: list[WorkerProcess] = []

    def start(**kwargs) -> WorkerProcess:
        workers.append(WorkerProcess(**kwargs))
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, *, timeout: float = 20, interval: float = 0.1, message: str = "condition"):
    """Poll until predicate() is truthy; returns its value or fails the test after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


# bin/test-topology runs the integration tests again through PgBouncer or with a streaming replica.
TOPOLOGY = os.environ.get("TEST_TOPOLOGY", "")


def pytest_collection_modifyitems(config, items):
    """With a real replica (TEST_TOPOLOGY=replica) what a test writes must be committed for the
    replica to have it, and its requests may read the replica: every test is transactional and may
    use every database."""
    if TOPOLOGY != "replica":
        return
    for item in items:
        item.add_marker(pytest.mark.django_db(transaction=True, databases="__all__"), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then (TEST_TOPOLOGY=replica) the replica aliases pointed at the streaming
    replica's copy of the test database, instead of Django's test mirror (the primary itself)."""
    if TOPOLOGY == "replica":
        from django.db import connections

        from config.replicas import replica_aliases

        default = connections["default"].settings_dict
        for alias in replica_aliases():
            kept = connections.settings[alias]  # what connections made in other threads read
            kept.update(NAME=default["NAME"], TEST={**kept.get("TEST", {}), "MIRROR": "default"})
            connections[alias].close()
            connections[alias].settings_dict = dict(kept)
    yield


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM is not None, "needs Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync",
            ],
        )  # fmt: skip
        yield chromium
        chromium.close()


def log_in(page, username: str, next_path: str = "/articles/story/") -> None:
    """Sign in through the login form in Chromium; returns once the form has sent the reader on."""
    from tests.factories import PASSWORD

    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def page_without_js(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def article(db):
    """One published article; files whose tests need particular paragraphs define their own."""
    from tests.factories import ArticleFactory

    return ArticleFactory(slug="story", headline="The big story")


@pytest.fixture
def seeded(db):
    """The seed articles, loaded as `make run` loads them."""
    from articles.seeds import load_seeds

    load_seeds(Path(settings.BASE_DIR, "seeds", "articles"))
    from articles.models import Article

    return Article.objects.get(slug="98000-russians-flee-to-kazakhstan")
