"""Faults in the middle of moderation, under posting load, on services of the suite's own.

One stack for the module, as an operator runs it: a PostgreSQL cluster (initdb under a temp dir)
and a redis-server on spare ports, gunicorn with 2 sync workers, the supervised Celery worker
(`python -m config.worker`, the Procfile's, with the production broker settings) and beat. Each
test freezes Redis (SIGSTOP), restarts it, or stops PostgreSQL while comments are posted and
pages read, then asserts what readers and authors would notice: every comment is decided within a
minute after the fault, none twice; a comment taken down during the fault is gone from every page
within PUBLIC_MAX_AGE plus a few seconds of Redis answering; no answer is a 500.
"""

import json
import threading
import time
import urllib.error
import urllib.request  # noqa: S310 - requests go to the suite's own gunicorn only
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import RedisProcess, child_env, require, spare_port, stop_process, wait_for
from tests.processes import PostgresCluster, SupervisedWorker, postgres_available, skip_on_the_sqlite_pass

pytestmark = pytest.mark.integration

SLUG = "98000-russians-flee-to-kazakhstan"  # the load's
QUIET_SLUG = "ukraines-precipice"  # the takedowns', on the first page of a thread of their own
DECIDED_WITHIN = 60  # seconds after the fault ends
GONE_WITHIN = settings.PUBLIC_MAX_AGE + 5
AUTHORS = 4
ENV = {
    "DEBUG": "true",
    "COMMENT_RATE_LIMIT": "100000",
    "COMMENT_IP_RATE_LIMIT": "100000",
    "MODERATION_SWEEP_AFTER_SECONDS": "5",
    "MODERATION_TOXICITY_CHECK": "false",  # the harm model's load would only slow the restarts
    "LOG_LEVEL": "WARNING",
}


def _call(base: str, method: str, path: str, *, data=None, token: str = "") -> tuple[int, dict, str]:
    headers = {"Authorization": f"Token {token}"} if token else {}
    body = None
    if data is not None:
        body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
    request = urllib.request.Request(base + path, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Stack:
    def __init__(self, root: Path):
        self.root = root
        self.processes = []
        self.worker = None
        self.postgres = PostgresCluster()
        self.redis = RedisProcess()
        try:
            self._start_all()
        except BaseException:
            self.close()
            raise

    def _start_all(self) -> None:
        root = self.root
        self.env = {**ENV, "DATABASE_URL": self.postgres.url, "REDIS_URL": self.redis.url}
        self._manage("migrate", "--no-input")
        self._manage("load_seeds")
        self.tokens = [self._manage("api_token", f"author{n}").strip() for n in range(AUTHORS)]
        port = spare_port()
        self.base = f"http://127.0.0.1:{port}"
        self.gunicorn = self._start(
            "gunicorn", "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
            "--timeout", "60",
        )  # fmt: skip
        self.beat = self._start(
            "beat", "-m", "celery", "-A", "config", "beat", "-s", str(root / "beat-schedule")
        )
        self.worker = SupervisedWorker(redis_url=self.redis.url, env=self.env, name="faults")
        wait_for(self._serving, timeout=60, message="gunicorn to serve")

    def _manage(self, *args: str) -> str:
        import subprocess
        import sys

        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=child_env(**self.env),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def _start(self, name: str, *args: str):
        import subprocess
        import sys

        log = (self.root / f"{name}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=settings.BASE_DIR, env=child_env(**self.env), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.processes.append(proc)
        return proc

    def _serving(self) -> bool:
        try:
            return _call(self.base, "GET", "/healthz")[0] in (200, 503)
        except OSError:
            return False

    def call(self, method: str, path: str, **kwargs) -> tuple[int, dict, str]:
        return _call(self.base, method, path, **kwargs)

    def try_call(self, method: str, path: str, **kwargs) -> tuple[int | str, dict, str]:
        """call(), with a failure to get any answer (reset, timeout) as the status "no answer"."""
        try:
            return self.call(method, path, **kwargs)
        except OSError:
            return "no answer", {}, ""

    def query(self, sql: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(
            self.postgres.url.replace("postgres://", "postgresql://"), connect_timeout=5
        ) as db:
            return db.execute(sql, params).fetchall()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        for proc in self.processes:
            stop_process(proc)
        self.redis.close()
        self.postgres.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    import shutil

    skip_on_the_sqlite_pass()
    require(shutil.which("redis-server") is not None, "needs redis-server on PATH")
    require(postgres_available(), "needs PostgreSQL's initdb and pg_ctl")
    stack = Stack(tmp_path_factory.mktemp("pipeline-faults"))
    yield stack
    stack.close()


_loads: list["Load"] = []


@pytest.fixture(autouse=True)
def _stop_loads():
    yield
    while _loads:
        _loads.pop().stop()


class Load:
    """Comments posted (about 5 a second) and the thread read (about 10 a second) from threads."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.posted: list[int] = []
        self.statuses: list[tuple[str, int]] = []
        self.slowest_post = 0.0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._post), threading.Thread(target=self._read)]
        _loads.append(self)
        for thread in self._threads:
            thread.start()

    def _post(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            started = time.monotonic()
            status, _, body = self.stack.try_call(
                "POST", f"/api/v1/articles/{SLUG}/comments/", data={"body": f"Load comment {n}, all calm."},
                token=self.stack.tokens[n % AUTHORS],
            )  # fmt: skip
            self.slowest_post = max(self.slowest_post, time.monotonic() - started)
            self.statuses.append(("POST", status))
            if status == 201:
                self.posted.append(json.loads(body)["id"])
            self._stop.wait(0.2)

    def _read(self) -> None:
        while not self._stop.is_set():
            for path in (f"/api/v1/articles/{SLUG}/comments/", f"/articles/{SLUG}/"):
                self.statuses.append(("GET", self.stack.try_call("GET", path)[0]))
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


def _pending(stack: Stack, ids: list[int]) -> list[int]:
    if not ids:
        return []
    rows = stack.query("SELECT id FROM comments_comment WHERE id = ANY(%s) AND status = 'pending'", (ids,))
    return [row[0] for row in rows]


def _decided_twice(stack: Stack, ids: list[int]) -> list[tuple]:
    return stack.query(
        "SELECT comment_id, count(*) FROM comments_auditrecord WHERE comment_id = ANY(%s) AND action = ANY(%s)"
        " GROUP BY comment_id HAVING count(*) > 1",
        (ids, ["moderation.comment.approved", "moderation.comment.rejected", "moderation.comment.held"]),
    )


def _published_comment(stack: Stack) -> int:
    """A comment approved and on the thread's cached page, to take down during the fault."""
    status, _, body = stack.call(
        "POST",
        f"/api/v1/articles/{QUIET_SLUG}/comments/",
        data={"body": f"To be taken down, {uuid.uuid4().hex[:6]}."},
        token=stack.tokens[0],
    )
    assert status == 201, body
    comment = json.loads(body)["id"]
    wait_for(lambda: _shows(stack, comment), timeout=60, message="the comment on the cached pages")
    return comment


def _shows(stack: Stack, comment: int) -> bool:
    """Whether an anonymous reader sees the comment: on the thread API and the article page."""
    thread = stack.call("GET", f"/api/v1/articles/{QUIET_SLUG}/comments/")
    page = stack.call("GET", f"/articles/{QUIET_SLUG}/")
    assert thread[0] == 200 and page[0] == 200, (thread[0], page[0])
    on_thread = comment in [c["id"] for c in json.loads(thread[2])["results"]]
    on_page = f'id="comment-{comment}"' in page[2]
    return on_thread or on_page


def _gone(stack: Stack, comment: int) -> bool:
    return not _shows(stack, comment)


def _check_recovery(stack: Stack, load: Load, fault_over: float, taken_down: int | None) -> dict:
    """The assertions every fault shares; returns the times it took (seconds after the fault)."""
    times = {}
    if taken_down is not None:
        wait_for(lambda: _gone(stack, taken_down), timeout=GONE_WITHIN, message="the takedown on every page")
        times["takedown gone"] = time.monotonic() - fault_over
    load.stop()
    ids = list(load.posted)
    assert ids, "nothing was posted"
    wait_for(
        lambda: not _pending(stack, ids),
        timeout=DECIDED_WITHIN - (time.monotonic() - fault_over),
        message=f"every comment decided (pending: {_pending(stack, ids)[:10]})",
    )
    times["all decided"] = time.monotonic() - fault_over
    assert _decided_twice(stack, ids) == []
    assert {status for _, status in load.statuses} <= {200, 201, 503}, set(load.statuses)
    worker_log = stack.worker.log.read_text()
    assert "Unrecoverable error" not in worker_log
    return times


def test_frozen_redis_mid_moderation_stops_nothing_for_long(stack):
    taken_down = _published_comment(stack)
    load = Load(stack)
    time.sleep(3)

    stack.redis.freeze()
    try:
        time.sleep(2)
        status, _, _ = stack.call("DELETE", f"/api/v1/comments/{taken_down}/", token=stack.tokens[0])
        assert status == 204
        time.sleep(13)
    finally:
        stack.redis.thaw()
    fault_over = time.monotonic()

    times = _check_recovery(stack, load, fault_over, taken_down)
    assert load.slowest_post < 5, load.slowest_post
    print("frozen Redis, seconds after SIGCONT:", times)


def test_redis_restarted_mid_moderation_stops_nothing_for_long(stack):
    taken_down = _published_comment(stack)
    load = Load(stack)
    time.sleep(3)

    stack.redis.stop()
    status, _, _ = stack.call("DELETE", f"/api/v1/comments/{taken_down}/", token=stack.tokens[0])
    assert status == 204
    time.sleep(3)
    stack.redis.start()  # empty: the queues' messages are lost, the sweep finds their comments
    fault_over = time.monotonic()

    times = _check_recovery(stack, load, fault_over, taken_down)
    print("Redis restarted, seconds after it was back:", times)


def test_postgres_stopped_answers_503_and_cached_pages_keep_answering(stack):
    cached = [f"/api/v1/articles/{QUIET_SLUG}/comments/", f"/articles/{QUIET_SLUG}/"]  # no load there
    assert [stack.call("GET", path)[0] for path in cached] == [200, 200]
    load = Load(stack)
    time.sleep(3)

    stack.postgres.stop()
    try:
        time.sleep(1)
        status, headers, _ = stack.call(
            "POST",
            f"/api/v1/articles/{SLUG}/comments/",
            data={"body": "In the outage."},
            token=stack.tokens[1],
        )
        cached_statuses = [stack.call("GET", path)[0] for path in cached]
        time.sleep(6)
    finally:
        stack.postgres.start()
    fault_over = time.monotonic()

    assert status == 503 and int(headers["Retry-After"]) > 0, status
    assert cached_statuses == [200, 200]
    outage = [s for s in load.statuses if s[1] not in (200, 201)]
    assert {s for _, s in outage} <= {503}, outage
    times = _check_recovery(stack, load, fault_over, None)
    print("PostgreSQL stopped, seconds after it was back:", times)
