"""Benchmark: delivery from outside, against peers that are not the site, in one run (`make bench`).

Three servers under the same gunicorn command (bench/run.py's `gunicorn_command`: BENCH_GUNICORN_WORKERS
(2) synchronous workers), each on a spare port, driven by the same wrk (bench/common.py):

- the site (bench/wsgi.py, DEBUG off; PostgreSQL and Redis as bench/run.py sets them up: the seed
  article with 200 approved comments);
- the minimal baseline, bench/baseline/: a separate Django project with `django-admin startproject`'s
  settings and middleware (DEBUG off, no database touched) whose views return the bytes the site
  answered for the anonymous article page and the comments API's first page, fetched from the site
  first and written to a file the baseline serves;
- Isso (BENCH_ISSO_VERSION, pinned), installed into a venv of its own (bench/.venv-isso, created
  when missing or when the pins change) with the gunicorn version the site runs, SQLite in a
  temporary directory, moderation and its guard (rate limits) off.

Readers: the anonymous page, the signed-in page and the page's 304s against the baseline's page;
the comments API and its 304 against the baseline's API answer. Posting: a signed-in POST of a
comment to the site and an anonymous POST to Isso's /new, the same concurrency, in the same
rotation (BENCH_SLICES turns of BENCH_SECONDS in all per target). Last, where the time of a cached
anonymous answer goes, timed in this process: the fast path's WSGI call against the baseline's, a
Redis GET of the cached entry's size, and a cProfile breakdown of the fast path.
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402 - creates the bench database and sets Django up
from bench.common import best_of_five  # noqa: E402

ISSO_VERSION = os.environ.get("BENCH_ISSO_VERSION", "0.14.0")
ISSO_VENV = ROOT / "bench" / ".venv-isso"
BASELINE = ROOT / "bench" / "baseline"
ROUNDS = int(os.environ.get("BENCH_PROFILE_ROUNDS", "2000"))
GOALS = {"anonymous": 0.85, "api": 0.85, "304": 0.95, "signed in": 0.50, "posting": 1.2}


def isso_python() -> str:
    """Isso's own venv, with Isso pinned and the site's gunicorn version: its python."""
    pins = [f"isso=={ISSO_VERSION}", f"gunicorn=={version('gunicorn')}"]
    python, stamp = ISSO_VENV / "bin" / "python", ISSO_VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != " ".join(pins):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(ISSO_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *pins], check=True)
        stamp.write_text(" ".join(pins))
    return str(python)


def start_isso(site_port: int) -> tuple[int, object]:
    """Isso under gunicorn on a spare port: (port, server)."""
    home = Path(tempfile.mkdtemp(prefix="bench-isso-"))
    config = home / "isso.cfg"
    config.write_text(
        f"[general]\ndbpath = {home / 'comments.db'}\nhost = http://127.0.0.1:{site_port}/\nnotify = stdout\n"
        "[moderation]\nenabled = false\n[guard]\nenabled = false\n"
    )
    port = run.free_port()
    env = {"PATH": os.environ["PATH"], "ISSO_SETTINGS": str(config), "HOME": str(home)}
    server = run._gunicorn(port, "isso.run", cwd=home, env=env, ready="/info", python=isso_python())
    return port, server


def start_baseline() -> tuple[int, object]:
    """The minimal Django project serving the captured bytes: (port, server)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baseline.settings",
        "BENCH_PAYLOAD_DIR": str(run.PAYLOADS),
    }
    port = run.free_port()
    return port, run._gunicorn(port, "baseline.wsgi:application", cwd=BASELINE, env=env, ready="/page/")


def reader_targets(captured: list[tuple], base: int) -> list[tuple]:
    """bench/run.py's reader targets (`run.readers`, which captured the page's and the API's bytes),
    measured against the minimal baseline on port `base` instead of the site's own bare views."""
    bare = {
        "bare view, the page's bytes": ("minimal Django, the page's bytes", f"http://127.0.0.1:{base}/page/"),
        "bare view, the API's bytes": ("minimal Django, the API's bytes", f"http://127.0.0.1:{base}/api/"),
    }
    targets = []
    for name, path, headers, status, baseline, _ in captured:
        if name.startswith("live updates"):
            continue
        if name in bare:
            name, path = bare[name]
        goal = next((share for word, share in GOALS.items() if word in name), None)
        targets.append((name, path, headers, status, bare[baseline][0] if baseline else None, goal))
    return targets


def posting_targets(isso: int, sessions: dict) -> tuple[list[tuple], list[tuple]]:
    """The site's signed-in POST and Isso's anonymous one, each with its own body."""
    text = "A comment from the benchmark, long enough to be a real one. " * 3
    ours = [("POST a comment, signed in", run.API, sessions["poster"], 201, None, None)]
    theirs = [
        ("Isso POST /new", f"http://127.0.0.1:{isso}/new?uri=%2Fbench%2F", {"Content-Type": "application/json"},
         201, None, None),
    ]  # fmt: skip
    return (ours, json.dumps({"body": text})), (theirs, json.dumps({"text": text, "title": "Bench"}))


def measure_posting(port: int, isso: int, sessions: dict) -> list[tuple]:
    """Both POSTs in the same turns: one slice of each in rotation, BENCH_SLICES times."""
    (ours, our_body), (theirs, isso_body) = posting_targets(isso, sessions)
    turns = {"ours": [], "isso": []}
    for turn in range(run.SLICES):
        each = {"slices": 1, "seconds": run.SECONDS / run.SLICES, "warm": turn == 0, "method": "POST"}
        turns["ours"].append(run.measure(port, ours, body=our_body, **each)[0])
        turns["isso"].append(run.measure(port, theirs, body=isso_body, **each)[0])
    rows = []
    for key, (name, *_) in (("ours", ours[0]), ("isso", theirs[0])):
        done = [result for _, result, _, _ in turns[key]]
        mine = key == "ours"
        rows.append(
            (name, _combined(done), "Isso POST /new" if mine else None, GOALS["posting"] if mine else None)
        )
    return rows


def _combined(done: list[dict]) -> dict:
    return {
        "rps": statistics.mean(t["rps"] for t in done),
        "p50_ms": statistics.median(t["p50_ms"] for t in done),
        "p99_ms": statistics.median(t["p99_ms"] for t in done),
        "errors": sum(t["errors"] for t in done),
    }


def table(rows: list[tuple]) -> None:
    rates = {name: result["rps"] for name, result, _, _ in rows}
    print(f"{'target':<42} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'vs base':>8} {'goal':>5}")
    for name, result, baseline, goal in rows:
        posting = baseline and baseline.startswith("Isso")
        share = rates[name] / rates[baseline] if baseline else None
        shown = "" if share is None else (f"{share:.2f}x" if posting else f"{share:.0%}")
        wanted = "" if goal is None else (f"{goal:.1f}x" if posting else f"{goal:.0%}")
        print(
            f"{name:<42} {result['rps']:>7.0f} {result['p50_ms']:>7.2f} {result['p99_ms']:>7.2f} "
            f"{result['errors']:>6} {shown:>8} {wanted:>5}"
        )


# ---- where a cached anonymous answer's time goes, in this process ----------------------------

_BASELINE_TIMING = """
import json, sys
from io import BytesIO
sys.path.insert(0, %(root)r)
from bench.common import best_of_five
from baseline.wsgi import application
env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/page/", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
       "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": BytesIO(b"")}
def call():
    b"".join(application(dict(env), lambda status, headers: None))
print(json.dumps(best_of_five(call, %(rounds)d)))
"""


def _environ(port: int) -> dict:
    from io import BytesIO

    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": run.PAGE, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(port), "HTTP_HOST": f"127.0.0.1:{port}", "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""), "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    }  # fmt: skip


_GROUPS = [  # (label, test on a profile entry's file and function name), the first that matches
    ("this bench's harness (the environ, the call)", lambda f, n: f.endswith("bench/delivery.py")),
    ("date headers (email.utils.formatdate)", lambda f, n: "formatdate" in n or "timetuple" in n),
    ("Redis: redis-py and its socket", lambda f, n: "/redis/" in f or "socket" in n or "select" in n),
    ("unpickling the kept answer", lambda f, n: "pickle" in n or "/django_redis/" in f),
    ("the cache key (json, sha256)", lambda f, n: "/json/" in f or "sha256" in n or "hexdigest" in n),
    ("the cache middleware and its headers (delivery/)", lambda f, n: f"{ROOT}/delivery/" in f),
    ("Django's request and response objects", lambda f, n: "/django/http/" in f or "/django/core/" in f),
    ("SecurityMiddleware and CorsMiddleware", lambda f, n: "/django/middleware/" in f or "corsheaders" in f),
    ("the rest of Django (utils, urls, conf)", lambda f, n: "/django/" in f),
]


def _fast_path(port: int):
    """The site's WSGI application in this process, counting what falls through to Django."""
    from bench.wsgi import django_application
    from delivery.fast_path import fast_path

    seen = {"fell through": 0, "statuses": set()}

    def django_app(environ, start_response):
        seen["fell through"] += 1
        return django_application(environ, start_response)

    app = fast_path(django_app)

    def call():
        b"".join(app(_environ(port), lambda status, headers: seen["statuses"].add(status)))

    return call, seen


def where_time_goes(port: int) -> None:
    """Time a cached anonymous page through the fast path in this process (the entry the server
    kept in Redis), next to the baseline's WSGI call for the same bytes and a plain Redis GET."""
    import redis
    from django.conf import settings

    call, seen = _fast_path(port)
    for _ in range(50):
        call()
    timings = {"the site's fast path, WSGI call to bytes": best_of_five(call, ROUNDS)}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baseline.settings",
        "BENCH_PAYLOAD_DIR": str(run.PAYLOADS),
    }
    code = _BASELINE_TIMING % {"rounds": ROUNDS, "root": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=BASELINE, env=env, capture_output=True, text=True)
    timings["the minimal baseline's WSGI call (default stack)"] = json.loads(done.stdout or "[NaN, NaN]")
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    body = (run.PAYLOADS / "page.html").read_bytes()
    client.set("bench:probe", body, ex=600)
    timings["a plain redis-py GET of the page's size"] = best_of_five(
        lambda: client.get("bench:probe"), ROUNDS
    )
    client.set("bench:probe", b"x" * 100, ex=600)  # what one round trip costs, apart from the bytes
    timings["a plain redis-py GET of 100 bytes"] = best_of_five(lambda: client.get("bench:probe"), ROUNDS)
    client.delete("bench:probe")
    profile = cProfile.Profile()
    profile.runcall(lambda: [call() for _ in range(ROUNDS)])
    groups, rest = _grouped(pstats.Stats(profile, stream=io.StringIO()))
    print(
        f"\nWhere a cached anonymous page's time goes ({len(body):,} bytes; in this process, {ROUNDS} calls,"
    )
    print(f"best of 5; {seen['fell through']} fell through to Django, answers {sorted(seen['statuses'])}):")
    print(f"  {'':<50} {'wall µs':>8} {'CPU µs':>7}")
    for label, (wall, cpu) in timings.items():
        print(f"  {label:<50} {wall * 1e6:>8.0f} {cpu * 1e6:>7.0f}")
    total = sum(groups.values())
    print("  cProfile of the fast path, wall time by part (the profiler inflates calls; read the shares):")
    for label, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"    {label:<50} {seconds / total:5.0%}")
    print("    everything else, largest: " + ", ".join(rest))


def _grouped(stats: pstats.Stats) -> tuple[dict[str, float], list[str]]:
    groups: dict[str, float] = {}
    others = []
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():
        label = next((label for label, test in _GROUPS if test(filename, function)), "everything else")
        groups[label] = groups.get(label, 0.0) + tottime
        if label == "everything else":
            others.append((tottime, f"{Path(filename).name}:{function}"))
    return groups, [name for _, name in sorted(others, reverse=True)[:4]]


def main() -> None:
    sessions = run.setup()
    port = run.free_port()
    servers = [run._gunicorn(port)]
    try:
        captured = run.readers(port, sessions)  # the page's and the API's bytes, for the baseline
        base, baseline = start_baseline()
        servers.append(baseline)
        readers = reader_targets(captured, base)
        isso, isso_server = start_isso(port)
        servers.append(isso_server)
        reading = run.measure(port, readers)
        writing = measure_posting(port, isso, sessions)
        run._purge_posts()
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    print(f"\ngunicorn {run.WORKERS} sync workers for each server; wrk {run.CONNECTIONS} connections, ")
    print(f"{run.SECONDS:g} s per target in {run.SLICES} turns taken in rotation; Isso {ISSO_VERSION}\n")
    table(reading + writing)
    sys.stdout.flush()
    where_time_goes(port)


if __name__ == "__main__":
    main()
