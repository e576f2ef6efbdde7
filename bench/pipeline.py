"""Benchmark: the moderation pipeline on one Celery worker process, the real Redis and PostgreSQL.

    python bench/pipeline.py        (or: make bench-pipeline)

1. Throughput: comments moderated per second by one worker process (concurrency 1) with every
   check on, queued as posting queues them (moderation.tasks.request_checks: a message per free
   lane, each deciding every comment waiting, in batches); then with a message per comment, and
   with the harm model off; against a bare task that only updates the comment's row.
2. Latency: gunicorn (2 workers) and one worker process (concurrency 1); comments are POSTed
   to the API at a steady 20 a second for 30 seconds; for each, the time from sending the POST
   to its approval (the audit record's time), p50 and p95.

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_pipeline) and
BENCH_REDIS_URL (default redis://127.0.0.1:6379/10); both are emptied first.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
N = int(os.environ.get("BENCH_COMMENTS", "600"))
RATE = float(os.environ.get("BENCH_RATE", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
PAYLOAD = Path(tempfile.mkstemp(suffix=".json")[1])
PAYLOAD.write_bytes(b"{}")

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_pipeline"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"),
    "COMMENT_RATE_LIMIT": "100000",
    "COMMENT_IP_RATE_LIMIT": "100000",
    "BENCH_PAYLOAD": str(PAYLOAD),
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

from bench.common import civil_text, free_port, start_worker  # noqa: E402
from bench.database import recreate_database  # noqa: E402

recreate_database(ENV["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from articles.models import Article  # noqa: E402
from comments.models import AuditRecord, Comment  # noqa: E402
from config.celery import app  # noqa: E402
from tests.factories import ArticleFactory, make_comment  # noqa: E402


def reset() -> tuple[Article, list]:
    call_command("migrate", verbosity=0)
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    Comment.objects.all().delete()
    Article.objects.filter(slug__startswith="bench-").delete()
    article = ArticleFactory(slug="bench-pipeline")
    users = []
    for n in range(100):
        user, _ = get_user_model().objects.get_or_create(username=f"pipeline{n}")
        users.append(user)
    elsewhere = ArticleFactory(slug="bench-history")
    for user in users:  # each author in good standing: approved comments already
        for k in range(3):
            make_comment(article=elsewhere, author=user, body=f"Earlier remark {k} by {user.username}.")
    return article, users


def make_pending(article, users, n: int) -> list[int]:
    rows = [
        Comment(
            article=article,
            author=users[i % len(users)],
            body=civil_text(),
            body_html="<p>x</p>",
        )
        for i in range(n)
    ]
    return [c.pk for c in Comment.objects.bulk_create(rows)]


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a warm shutdown still draining its prefetched messages
        proc.kill()
        proc.wait()


def wait_decided(ids: list[int], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while Comment.objects.filter(pk__in=ids, status="pending").exists():
        if time.monotonic() > deadline:
            raise SystemExit("comments left pending")
        time.sleep(0.05)


def throughput(article, users, send, **worker_env) -> float:
    proc = start_worker({**ENV, **worker_env})
    try:
        warm = make_pending(article, users, 5)  # load the model, open connections
        for pk in warm:
            send(pk)
        wait_decided(warm)
        ids = make_pending(article, users, N)
        began = time.perf_counter()
        for pk in ids:
            send(pk)
        wait_decided(ids)
        return N / (time.perf_counter() - began)
    finally:
        stop(proc)


def check(pk: int) -> None:
    """As posting queues the checks (moderation.tasks.request_checks): a message per free lane."""
    from moderation.tasks import request_checks

    request_checks(pk, Comment.objects.only("version").get(pk=pk).version)


def check_each(pk: int) -> None:
    """A message for every comment, as before lanes (each still decides the others waiting)."""
    comment = Comment.objects.only("version").get(pk=pk)
    app.send_task("moderation.tasks.check_comment", args=[pk, comment.version])


def bare(pk: int) -> None:
    app.send_task("bench.tasks.mark_decided", args=[pk], queue="maintenance")


def latency(article, users) -> tuple[list[float], int, int]:
    tokens = [Token.objects.get_or_create(user=user)[0].key for user in users]
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    proc = start_worker(ENV)
    sent: dict[int, float] = {}
    failures = []
    lock = threading.Lock()
    path = f"/api/v1/articles/{article.slug}/comments/"

    def post(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps({"body": civil_text()})
        headers = {"Content-Type": "application/json", "Authorization": f"Token {tokens[i % len(tokens)]}"}
        t0 = time.time()
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 201:
            failures.append(response.status)
            return
        with lock:
            sent[json.loads(data)["id"]] = t0

    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        post(-1)  # warm up web and worker
        time.sleep(3)
        sent.clear()
        total = int(RATE * SECONDS)
        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=16) as pool:
            for i in range(total):
                delay = began + i / RATE - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(post, i)
        wait_decided(list(sent))
    finally:
        stop(proc)
        server.terminate()
        server.wait()
    approved = dict(
        AuditRecord.objects.filter(comment_id__in=list(sent), to_status="approved").values_list(
            "comment_id", "created_at"
        )
    )
    waits = sorted(approved[pk].timestamp() - t0 for pk, t0 in sent.items() if pk in approved)
    return waits, len(sent) - len(approved), len(failures)


def main() -> None:
    article, users = reset()
    print(f"database {connection.vendor} {connection.settings_dict['NAME']}, broker {ENV['REDIS_URL']}")
    rows = [
        ("bare task (one UPDATE)", throughput(article, users, bare)),
        ("moderation, every check on", throughput(article, users, check)),
        ("  a message per comment", throughput(article, users, check_each)),
        ("  harm model off", throughput(article, users, check, MODERATION_TOXICITY_CHECK="false")),
    ]
    print(f"\nThroughput: {N} comments, one worker process (concurrency 1)")
    print(f"{'task':<28} {'comments/s':>11} {'ms each':>8} {'vs bare':>8}")
    for name, rate in rows:
        print(f"{name:<28} {rate:>11.1f} {1000 / rate:>8.2f} {rate / rows[0][1]:>7.0%}")

    waits, not_approved, failed = latency(article, users)
    print(f"\nPOST -> approved: {RATE:g} posts/s for {SECONDS:g} s, gunicorn 2 workers, one worker process")
    print(
        f"{'posts':>6} {'approved':>9} {'held/rejected':>14} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    )
    p95 = waits[int(len(waits) * 0.95) - 1]
    print(
        f"{len(waits) + not_approved:>6} {len(waits):>9} {not_approved:>14} {failed:>7} "
        f"{statistics.median(waits) * 1000:>8.0f} {p95 * 1000:>8.0f} {waits[-1] * 1000:>8.0f}"
    )
    PAYLOAD.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
