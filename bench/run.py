"""Benchmark: the comments API and the article page against a bare Django view, same gunicorn.

Run with `make bench` (PostgreSQL + Redis from DATABASE_URL/REDIS_URL, defaults to the local
ones). Prints requests/s, p50 and p99 for each target and its ratio to the bare view.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "3000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "2")
COMMENTS = 200


def _env(extra: dict) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_newsroom"),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        **extra,
    }


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


SETUP = f"""
import django; django.setup()
from django.core.cache import cache
from django.db import connection
from articles.seeds import load_seeds
from articles.models import Article
from comments.models import Comment
from django.contrib.auth import get_user_model
from pathlib import Path
from tests.factories import make_comment
cache.clear()
load_seeds(Path("seeds/articles"))
article = Article.objects.get(slug="98000-russians-flee-to-kazakhstan")
if Comment.objects.filter(article=article, status="approved").count() != {COMMENTS}:
    Comment.objects.filter(article=article).delete()
    writers = [get_user_model().objects.get_or_create(username=f"bench{{n}}")[0] for n in range(20)]
    for n in range({COMMENTS}):
        make_comment(article=article, author=writers[n % 20], body=f"Comment number {{n}}. " * 8)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(port: int, path: str) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = REQUESTS // CONCURRENCY

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_thread):
            start = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - began), latencies


def main() -> None:
    payload = Path(tempfile.mkstemp(suffix=".json")[1])
    payload.write_bytes(b"{}")
    env = _env({"BENCH_PAYLOAD": str(payload)})
    _manage(env, "migrate", "--no-input")
    _manage(env, "collectstatic", "--no-input")
    subprocess.run([PY, "-c", SETUP], cwd=ROOT, env=env, check=True)

    port = _free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", WORKERS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        api = "/api/v1/articles/98000-russians-flee-to-kazakhstan/comments/"
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", api)
                body = conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        payload.write_bytes(body)
        server.send_signal(1)  # HUP: workers reload and pick up the captured payload
        time.sleep(3)
        targets = [
            ("bare Django view (same JSON)", "/bench/bare/"),
            ("comments API, 200 comments", api),
            ("article page, 200 comments", "/articles/98000-russians-flee-to-kazakhstan/"),
        ]
        rows = []
        for name, path in targets:
            _load(port, path)  # warm up caches and connections
            rps, latencies = _load(port, path)
            latencies.sort()
            rows.append((name, rps, statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]))
    finally:
        server.terminate()
        server.wait()
        payload.unlink(missing_ok=True)

    bare_rps = rows[0][1]
    print(
        f"gunicorn workers={WORKERS}, {REQUESTS} requests per target, concurrency {CONCURRENCY}, payload {len(body)} bytes"
    )
    print(f"{'target':<32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}")
    for name, rps, p50, p99 in rows:
        print(f"{name:<32} {rps:>9.0f} {p50 * 1000:>8.2f} {p99 * 1000:>8.2f} {rps / bare_rps:>7.0%}")


if __name__ == "__main__":
    main()
