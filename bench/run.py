"""Benchmark: what readers and commenters get, next to bare Django views, in one run (`make bench`).

Everything runs under the same gunicorn (2 workers, DEBUG off) against PostgreSQL and Redis; wrk
drives it (installed with apt-get when missing). The bench database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_newsroom) is dropped and created afresh; Redis db 9
(BENCH_REDIS_URL) is emptied. The seed article gets 200 approved comments.

1. Readers, wrk with 8 connections for BENCH_SECONDS (10) each, in BENCH_SLICES (5) turns taken
   in rotation (a shared machine's load falls on all alike): the article page (anonymous,
   signed in, conditional 304s) against a bare view returning the page's bytes; the comments
   API's first page (anonymous, 304) and the live updates of a page 10 comments behind (200, 304)
   against a bare view returning the API's bytes.
2. Posting: POST /api/v1/articles/<slug>/comments/ with a signed-in session and its CSRF token
   (rate limit raised), the real enqueue to Redis and the row committed, against a bare view
   that does one INSERT.
3. Under load: 200 connections read the article page for BENCH_LOAD_SECONDS (20) while 20
   comments a second (BENCH_RATE) are posted to it and moderated by one Celery worker process;
   errors, the readers' p99, and how soon each approved comment reaches an anonymous reader.
4. Scale: bench/thread_scale.py (its own database, 10,000 then 1,000,000 comments).
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
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import civil_text, free_port, production_env, start_worker, wrk  # noqa: E402
from bench.database import recreate_database  # noqa: E402

PY = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
SLICES = int(os.environ.get("BENCH_SLICES", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "2")
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
LOAD_CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "200"))
RATE = float(os.environ.get("BENCH_RATE", "20"))
COMMENTS = 200
SLUG = "98000-russians-flee-to-kazakhstan"
PAGE = f"/articles/{SLUG}/"
API = f"/api/v1/articles/{SLUG}/comments/"
UPDATES = f"/api/v1/articles/{SLUG}/comments/updates/?since=0"
PAYLOADS = Path(tempfile.mkdtemp(prefix="bench-"))
ENV = production_env(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_newsroom"),
    os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    COMMENT_RATE_LIMIT="1000000000",
    COMMENT_IP_RATE_LIMIT="1000000000",
    BENCH_PAYLOAD_DIR=str(PAYLOADS),
)
os.environ.update(ENV)
recreate_database(ENV["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.seeds import load_seeds  # noqa: E402
from comments.models import AuditRecord, Comment  # noqa: E402
from tests.factories import make_comment  # noqa: E402


def setup() -> dict:
    """Data and credentials: the seed article with 200 comments, a reader's session, a poster's."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    load_seeds(ROOT / "seeds" / "articles")
    article = Article.objects.get(slug=SLUG)
    Comment.objects.filter(article=article).exclude(status="approved").delete()
    if Comment.objects.filter(article=article).count() != COMMENTS:
        Comment.objects.filter(article=article).delete()
        writers = [get_user_model().objects.get_or_create(username=f"bench{n}")[0] for n in range(20)]
        for n in range(COMMENTS):
            make_comment(article=article, author=writers[n % 20], body=f"Comment number {n}. " * 8)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, body text NOT NULL)"
        )
        cursor.execute("TRUNCATE bench_insert")
    return {"reader": _session("bench-reader"), "poster": _session("bench-poster")}


def _session(username: str) -> dict:
    """Headers of a signed-in browser: session and CSRF cookies, and the token header."""
    from django.middleware.csrf import _get_new_csrf_string

    user, _ = get_user_model().objects.get_or_create(username=username)
    client = Client()
    client.force_login(user)
    secret = _get_new_csrf_string()
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={secret}"
    return {"Cookie": cookie, "X-CSRFToken": secret, "Content-Type": "application/json"}


def _address(port: int, path: str) -> tuple[int, str]:
    """A target's port and path: `path` is on `port`, unless it is a whole address (another server)."""
    if not path.startswith("http://"):
        return port, path
    parts = urlsplit(path)
    return parts.port, parts.path + (f"?{parts.query}" if parts.query else "")


def _url(port: int, path: str) -> str:
    port, path = _address(port, path)
    return f"http://127.0.0.1:{port}{path}"


def _get(port: int, path: str, headers: dict | None = None, method: str = "GET", body: str | None = None):
    port, path = _address(port, path)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body, headers or {})
    response = conn.getresponse()
    return response, response.read()


def gunicorn_command(app: str, port: int, python: str = PY) -> list[str]:
    """The one gunicorn command every server of the benchmarks runs under (the site, the minimal
    Django project, Isso): WORKERS synchronous workers on `port`."""
    return [python, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", WORKERS,
            "--worker-class", "sync"]  # fmt: skip


def _gunicorn(
    port: int, app: str = "bench.wsgi:application", *, cwd=ROOT, env=ENV, ready="/healthz", python: str = PY
) -> subprocess.Popen:
    """gunicorn serving `app` on `port`, returned once `ready` answers."""
    server = subprocess.Popen(
        gunicorn_command(app, port, python),
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            _get(port, ready)
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn {app} did not start")


def readers(port: int, sessions: dict) -> list[tuple]:
    """(name, result, baseline name, goal as a share of the baseline) for every reader target."""
    page, page_bytes = _get(port, PAGE)
    api, api_bytes = _get(port, API)
    from comments import live

    for comment_id in Comment.objects.filter(article__slug=SLUG).values_list("pk", flat=True)[:10]:
        live._announce(SLUG, (comment_id, None, None))  # an open page 10 comments behind
    updates, _ = _get(port, UPDATES)
    (PAYLOADS / "page.html").write_bytes(page_bytes)
    (PAYLOADS / "api.json").write_bytes(api_bytes)
    return [
        ("bare view, the page's bytes", "/bench/bare/page/", {}, 200, None, None),
        ("article page, anonymous", PAGE, {}, 200, "bare view, the page's bytes", 0.60),
        ("article page, signed in", PAGE, {"Cookie": sessions["reader"]["Cookie"]}, 200,
         "bare view, the page's bytes", 0.25),
        ("article page, If-None-Match: 304", PAGE, {"If-None-Match": page.getheader("ETag")}, 304,
         "bare view, the page's bytes", 1.0),
        ("article page, If-Modified-Since: 304", PAGE, {"If-Modified-Since": page.getheader("Last-Modified")},
         304, "bare view, the page's bytes", 1.0),
        ("bare view, the API's bytes", "/bench/bare/", {}, 200, None, None),
        ("comments API, anonymous", API, {}, 200, "bare view, the API's bytes", 0.80),
        ("comments API, If-None-Match: 304", API, {"If-None-Match": api.getheader("ETag")}, 304,
         "bare view, the API's bytes", 1.0),
        ("live updates, 10 new", UPDATES, {}, 200, "bare view, the API's bytes", 0.80),
        ("live updates, If-None-Match: 304", UPDATES, {"If-None-Match": updates.getheader("ETag")}, 304,
         "bare view, the API's bytes", 1.0),
    ]  # fmt: skip


def measure(
    port: int,
    targets: list[tuple],
    *,
    slices: int = SLICES,
    seconds: float = SECONDS,
    warm: bool = True,
    **wrk_args,
) -> list[tuple]:
    """wrk on each target, in BENCH_SLICES turns taken in rotation, so a target and its baseline
    share whatever else the machine is doing; requests/s over all turns, median p50 and p99."""
    method, body = wrk_args.get("method", "GET"), wrk_args.get("body")
    for name, path, headers, status, _, _ in targets:
        response, _ = _get(port, path, headers, method=method, body=body)
        if response.status != status:
            raise SystemExit(f"{name}: {path} answered {response.status}, expected {status}")
        if warm:
            wrk(_url(port, path), seconds=1, connections=CONNECTIONS, headers=headers, **wrk_args)
    turns: dict[str, list[dict]] = {name: [] for name, *_ in targets}
    for _ in range(slices):
        for name, path, headers, *_ in targets:
            url = _url(port, path)
            turns[name].append(
                wrk(url, seconds=seconds / slices, connections=CONNECTIONS, headers=headers, **wrk_args)
            )
    rows = []
    for name, _, _, _, baseline, goal in targets:
        done = turns[name]
        result = {
            "rps": sum(t["requests"] for t in done) / sum(t["seconds"] for t in done),
            "p50_ms": statistics.median(t["p50_ms"] for t in done),
            "p99_ms": statistics.median(t["p99_ms"] for t in done),
            "errors": sum(t["errors"] for t in done),
        }
        rows.append((name, result, baseline, goal))
    return rows


def posting(port: int, sessions: dict) -> list[tuple]:
    body = json.dumps({"body": "A comment from the benchmark, long enough to be a real one. " * 3})
    targets = [
        ("bare view, one INSERT", "/bench/bare/insert/", {}, 201, None, None),
        ("POST a comment, signed in", API, sessions["poster"], 201, "bare view, one INSERT", None),
    ]
    return measure(port, targets, method="POST", body=body)


def _purge_posts() -> None:
    """Forget what the posting benchmark left: its pending comments and their queued checks."""
    import redis

    client = redis.Redis.from_url(ENV["REDIS_URL"])
    client.delete("moderation", "notifications", "maintenance")
    Comment.objects.filter(author__username="bench-poster").delete()


def under_load(port: int) -> dict:
    """Readers hammer the page while comments are posted, moderated and must show up."""
    from tests.factories import UserFactory

    authors = [UserFactory(username=f"bench-author{n}") for n in range(50)]
    for author in authors:  # established authors: their comments are approved by the checks
        for k in range(3):
            make_comment(
                article=Article.objects.exclude(slug=SLUG).first(), author=author, body=f"Earlier {k}"
            )
    tokens = [Token.objects.get_or_create(user=user)[0].key for user in authors]
    worker = start_worker(ENV)
    posted: dict[int, float] = {}
    seen: dict[int, float] = {}
    failures: list[int] = []
    stop = threading.Event()

    def post(n: int) -> None:
        text = civil_text()  # texts the checks approve: no repeats, no waves
        started = time.time()
        response, data = _get(
            port, API, {"Content-Type": "application/json", "Authorization": f"Token {tokens[n % len(tokens)]}"},
            method="POST", body=json.dumps({"body": text}),
        )  # fmt: skip
        if response.status == 201:
            posted[json.loads(data)["id"]] = started
        else:
            failures.append(response.status)

    def poster() -> None:
        began, n = time.monotonic(), 0
        while not stop.is_set():
            delay = began + n / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            threading.Thread(target=post, args=(n,)).start()
            n += 1

    def watcher() -> None:
        while not stop.is_set() or (set(posted) - set(seen) and time.time() - max(posted.values()) < 5):
            _, data = _get(port, API + "?sort=newest")
            now = time.time()
            for item in json.loads(data)["results"]:
                seen.setdefault(item["id"], now)
            time.sleep(0.02)

    threads = [threading.Thread(target=poster), threading.Thread(target=watcher)]
    try:
        for thread in threads:
            thread.start()
        result = wrk(
            f"http://127.0.0.1:{port}{PAGE}", seconds=LOAD_SECONDS, connections=LOAD_CONNECTIONS, timeout=10
        )
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        worker.terminate()
        worker.wait(timeout=30)
    approved = dict(
        AuditRecord.objects.filter(comment_id__in=list(posted), to_status="approved").values_list(
            "comment_id", "created_at"
        )
    )
    lags = sorted(seen[pk] - approved[pk].timestamp() for pk in approved if pk in seen)
    whole = sorted(seen[pk] - posted[pk] for pk in approved if pk in seen)
    return {
        "readers": result,
        "posted": len(posted),
        "post_failures": len(failures),
        "approved": len(approved),
        "seen": len(lags),
        "lag_p50": statistics.median(lags) if lags else float("nan"),
        "lag_p95": lags[int(len(lags) * 0.95) - 1] if lags else float("nan"),
        "post_to_seen_p50": statistics.median(whole) if whole else float("nan"),
        "post_to_seen_p95": whole[int(len(whole) * 0.95) - 1] if whole else float("nan"),
    }


def _table(rows: list[tuple]) -> None:
    rates = {name: result["rps"] for name, result, _, _ in rows}
    print(f"{'target':<40} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'vs bare':>8} {'goal':>5}")
    for name, result, baseline, goal in rows:
        share = f"{result['rps'] / rates[baseline]:.0%}" if baseline else ""
        wanted = f"{goal:.0%}" if goal else ""
        print(
            f"{name:<40} {result['rps']:>8.0f} {result['p50_ms']:>7.2f} {result['p99_ms']:>7.2f} "
            f"{result['errors']:>6} {share:>8} {wanted:>5}"
        )


def main() -> None:
    sessions = setup()
    port = free_port()
    server = _gunicorn(port)
    try:
        targets = readers(port, sessions)
        server.send_signal(1)  # HUP: the workers reload and serve the captured bytes
        time.sleep(3)
        reading = measure(port, targets)
        writing = posting(port, sessions)
        _purge_posts()
        load = under_load(port)
    finally:
        server.terminate()
        server.wait()
    print(f"\ngunicorn {WORKERS} workers, DEBUG off, PostgreSQL {connection.settings_dict['NAME']}, Redis")
    print(
        f"wrk: {CONNECTIONS} connections, {SECONDS:g} s per target; seed article with {COMMENTS} comments\n"
    )
    _table(reading + writing)
    print("  (POST goal: at least Isso's 237 comments/s)")
    readers_result = load["readers"]
    print(
        f"\nUnder load: {LOAD_CONNECTIONS} connections read the article page for {LOAD_SECONDS:g} s while "
        f"{RATE:g} comments/s are posted to it and moderated by one worker process"
    )
    print(
        f"  readers: {readers_result['rps']:.0f} req/s, p50 {readers_result['p50_ms']:.1f} ms, "
        f"p99 {readers_result['p99_ms']:.1f} ms, errors {readers_result['errors']}"
    )
    print(
        f"  comments: {load['posted']} posted ({load['post_failures']} failed), {load['approved']} approved, "
        f"{load['seen']} seen by an anonymous reader"
    )
    print(
        f"  approval -> visible to the next anonymous request: p50 {load['lag_p50'] * 1000:.0f} ms, "
        f"p95 {load['lag_p95'] * 1000:.0f} ms (goal: 1,000 ms)"
    )
    print(
        f"  POST -> visible: p50 {load['post_to_seen_p50'] * 1000:.0f} ms, "
        f"p95 {load['post_to_seen_p95'] * 1000:.0f} ms"
    )
    sys.stdout.flush()
    if os.environ.get("BENCH_SCALE", "1") != "0":
        print("\nScale (bench/thread_scale.py):", flush=True)
        subprocess.run([PY, str(ROOT / "bench" / "thread_scale.py")], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
