"""Benchmark: what a request waits while Redis is stopped or frozen, and what /healthz costs.

    python bench/redis_faults.py

gunicorn (2 sync workers) on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_faults, dropped and created afresh) and a redis-server of its own
on a spare port, which the run stops and freezes (SIGSTOP); the shared Redis is never touched.

1. For Redis up, stopped and frozen: BENCH_ROUNDS (20) of each request one after another (a
   comment POST, the article page, the comments API, an anonymous correction report, /healthz),
   printing the status codes, p50 and max in milliseconds.
2. Redis up: the article page timed alone, then while six clients loop on /healthz for
   BENCH_SECONDS (10).
"""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


REDIS_PORT = free_port()
redis_server = None


def start_redis() -> None:
    global redis_server
    redis_server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", REDIS_PORT), 0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


start_redis()
ENV = {
    **os.environ,
    "DEBUG": "1",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_faults"),
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "COMMENT_RATE_LIMIT": "100000",
    "COMMENT_IP_RATE_LIMIT": "100000",
    "CORRECTION_RATE_LIMIT": "100000",
    "LOG_LEVEL": "ERROR",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

from bench.database import recreate_database  # noqa: E402

recreate_database(ENV["DATABASE_URL"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from articles.models import Article  # noqa: E402
from config.tasks import heartbeat  # noqa: E402
from tests.factories import ArticleFactory, UserFactory, make_comment  # noqa: E402


def request(base: str, method: str, path: str, *, data=None, token: str = "") -> tuple[int, float]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    body = json.dumps(data).encode() if data is not None else None
    started = time.perf_counter()
    try:
        outgoing = urllib.request.Request(base + path, data=body, headers=headers, method=method)  # noqa: S310
        with urllib.request.urlopen(outgoing, timeout=60) as response:  # noqa: S310 - our own gunicorn
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    Article.objects.filter(slug="bench-faults").delete()
    article = ArticleFactory(slug="bench-faults")
    make_comment(article=article, body="Written before the outage.")
    token = Token.objects.get_or_create(user=UserFactory(username="bench-faults"))[0].key
    heartbeat()  # as a starting worker does; none runs here, none is asked

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    calls = {
        "comment POST": lambda: request(
            base, "POST", f"/api/v1/articles/{article.slug}/comments/", data={"body": "Hello."}, token=token
        ),
        "article page": lambda: request(base, "GET", article.get_absolute_url()),
        "comments API": lambda: request(base, "GET", f"/api/v1/articles/{article.slug}/comments/"),
        "correction report": lambda: request(
            base, "POST", f"/api/v1/articles/{article.slug}/corrections/", data={"message": "A mistake."}
        ),
        "/healthz": lambda: request(base, "GET", "/healthz"),
    }
    try:
        for _ in range(100):
            try:
                request(base, "GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        for call in calls.values():  # warm both workers
            call(), call()

        print(f"{'redis':<8} {'request':<18} {'statuses':<14} {'p50 ms':>8} {'max ms':>8}")
        for state in ["up", "stopped", "frozen"]:
            if state == "stopped":
                redis_server.kill()
                redis_server.wait()
            if state == "frozen":
                start_redis()
                for call in calls.values():  # connections open again before the freeze
                    call(), call()
                os.kill(redis_server.pid, signal.SIGSTOP)
            for name, call in calls.items():
                results = [call() for _ in range(ROUNDS)]
                statuses = ",".join(sorted({str(s) for s, _ in results}))
                times = [t * 1000 for _, t in results]
                print(
                    f"{state:<8} {name:<18} {statuses:<14} {statistics.median(times):>8.1f} {max(times):>8.1f}"
                )
        os.kill(redis_server.pid, signal.SIGCONT)

        heartbeat()
        alone = [calls["article page"]()[1] * 1000 for _ in range(ROUNDS)]
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                request(base, "GET", "/healthz")

        clients = [threading.Thread(target=loop) for _ in range(6)]
        for client in clients:
            client.start()
        loaded, deadline = [], time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            loaded.append(calls["article page"]()[1] * 1000)
        stop.set()
        for client in clients:
            client.join()
        print(
            f"\narticle page alone: p50 {statistics.median(alone):.1f} ms; while six clients loop on "
            f"/healthz: p50 {statistics.median(loaded):.1f} ms, "
            f"p95 {statistics.quantiles(loaded, n=20)[-1]:.1f} ms ({len(loaded)} pages)"
        )
    finally:
        web.terminate()
        web.wait(timeout=30)
        redis_server.kill()


if __name__ == "__main__":
    main()
