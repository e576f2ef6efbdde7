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
3. Time to recover (BENCH_RECOVERY=0 skips it): Redis frozen for 15 s, then killed and started
   again, while comments are posted; seconds from the end of the fault until every one is decided,
   for the supervised worker on config/broker.py's transport and for a plain `celery worker` on
   kombu's own Redis transport (the baseline; BENCH_RECOVERY_CAP, 90 s, is the most it waits).
"""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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
        if os.environ.get("BENCH_RECOVERY", "1") != "0":
            recovery(base, article, token)
    finally:
        web.terminate()
        web.wait(timeout=30)
        redis_server.kill()


def _post(base: str, slug: str, token: str, label: str, stop: threading.Event, posted: list) -> None:
    """Post a comment about 5 times a second until `stop`, keeping the ids of those saved."""
    n = 0
    while not stop.is_set():
        n += 1
        body = json.dumps({"body": f"Recovery {label} {n} {time.time()}"}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        outgoing = urllib.request.Request(  # noqa: S310 - our own gunicorn
            f"{base}/api/v1/articles/{slug}/comments/", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(outgoing, timeout=30) as response:  # noqa: S310
                posted.append(json.loads(response.read())["id"])
        except (OSError, ValueError):
            pass
        stop.wait(0.2)


RECOVERY_CAP = float(os.environ.get("BENCH_RECOVERY_CAP", "90"))


def recovery(base: str, article, token: str) -> None:
    """3. Time to recover: comments posted (5 a second) while Redis is frozen for 15 s, or killed
    and started again, with a worker (concurrency 2) and beat; the seconds from the end of the
    fault until every comment posted is decided, for the supervised worker on this project's
    transport (config/broker.py) and, as the baseline, a plain `celery worker` on kombu's own."""
    from comments.models import Comment

    print(f"\n{'worker':<44} {'fault':<16} {'posted':>6} {'recovered in':>14}")
    workers = {
        "python -m config.worker (config.broker)": ([PY, "-m", "config.worker"], {}),
        "celery worker, kombu's redis transport": (
            [PY, "-m", "celery", "-A", "config", "worker"],
            {"CELERY_BROKER_TRANSPORT_CLASS": "redis"},
        ),
    }
    for label, (command, extra) in workers.items():
        for fault in ("frozen 15 s", "restarted"):
            env = {
                **ENV,
                **extra,
                "MODERATION_SWEEP_AFTER_SECONDS": "5",
                "MODERATION_TOXICITY_CHECK": "false",
            }
            queues = [
                "-Q",
                "moderation,notifications,maintenance",
                "--concurrency",
                "2",
                "-n",
                f"bench-{os.getpid()}@localhost",
            ]
            worker = subprocess.Popen(
                [*command, *queues, "--loglevel", "WARNING"], cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            beat = subprocess.Popen(
                [PY, "-m", "celery", "-A", "config", "beat", "-s", str(Path(tempfile.mkdtemp()) / "beat")],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            posted: list[int] = []
            stop = threading.Event()
            try:
                time.sleep(20)  # the worker up
                poster = threading.Thread(target=_post, args=(base, article.slug, token, fault, stop, posted))
                poster.start()
                time.sleep(5)
                if fault == "frozen 15 s":
                    os.kill(redis_server.pid, signal.SIGSTOP)
                    time.sleep(15)
                    os.kill(redis_server.pid, signal.SIGCONT)
                else:
                    redis_server.kill()
                    redis_server.wait()
                    time.sleep(3)
                    start_redis()
                over = time.monotonic()
                time.sleep(5)
                stop.set()
                poster.join()
                recovered = None
                while time.monotonic() - over < RECOVERY_CAP:
                    if not Comment.objects.filter(pk__in=posted, status="pending").exists():
                        recovered = time.monotonic() - over
                        break
                    time.sleep(0.5)
                shown = f"{recovered:.1f} s" if recovered is not None else f"not in {RECOVERY_CAP:.0f} s"
                print(f"{label:<44} {fault:<16} {len(posted):>6} {shown:>14}", flush=True)
            finally:
                stop.set()
                for proc in (worker, beat):
                    proc.terminate()
                    try:
                        proc.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        os.killpg(proc.pid, signal.SIGKILL)
                        proc.wait()


if __name__ == "__main__":
    main()
