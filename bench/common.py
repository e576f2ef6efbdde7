"""What the benchmarks share: a production-like environment, a free port, wrk (installed when
missing) and texts the checks approve."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(database_url: str, redis_url: str, **extra: str) -> dict:
    """The environment of a production-like process (DEBUG off) on the bench's own database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker(env: dict) -> subprocess.Popen:
    """One Celery worker process on every queue, with its own name; returned once it answers a ping."""
    from config.celery import app

    name = f"bench-{time.monotonic_ns()}@localhost"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "moderation,maintenance,notifications",
         "-c", "1", "-n", name, "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(120):
        if app.control.ping(destination=[name], timeout=0.5):
            return proc
    proc.kill()
    raise SystemExit("the Celery worker did not start")


def ensure_wrk() -> str:
    """The wrk binary, installed with apt-get when missing (as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: apt-get install wrk")
    subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


# wrk's Lua: the request to send, and a summary line this module reads back.
_SCRIPT = """
wrk.method = %(method)s
wrk.body = %(body)s
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK-JSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%d, \\"p99\\": %%d, " ..
    "\\"socket_errors\\": %%d, \\"bad_status\\": %%d}\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def wrk(
    url: str,
    *,
    seconds: float,
    connections: int,
    method: str = "GET",
    body: str = "",
    headers: dict | None = None,
    threads: int = 2,
    timeout: int = 2,
) -> dict:
    """Run wrk against one address: {rps, p50_ms, p99_ms, errors}."""
    lines = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items())
    script = _SCRIPT % {"method": json.dumps(method), "body": json.dumps(body), "headers": lines}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [
                ensure_wrk(),
                "-t",
                str(threads),
                "-c",
                str(connections),
                "--timeout",
                f"{timeout}s",
                "-d",
                f"{max(1, round(seconds))}s",
                "-s",
                handle.name,
                url,
            ],  # fmt: skip
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in out.splitlines() if line.startswith("WRK-JSON "))
    data = json.loads(line.removeprefix("WRK-JSON "))
    return {
        "requests": data["requests"],
        "seconds": data["seconds"],
        "rps": data["requests"] / data["seconds"],
        "p50_ms": data["p50"] / 1000,
        "p99_ms": data["p99"] / 1000,
        "errors": data["socket_errors"] + data["bad_status"],
    }


# Civil comments, each text different after normalization (digits would not make them differ:
# the repeat check reads them as letters), so none is a duplicate or a spam wave.
OPENERS = ["Good reporting;", "Interesting piece:", "Thanks for this.", "I disagree a little:",
           "Worth reading:", "A fair account,", "Sad to read:", "Helpful context:"]  # fmt: skip
SUBJECTS = ["the border figures", "the queue at the crossing", "the rental market", "the new arrivals",
            "the government response", "the local volunteers", "the airline prices", "the visa rules"]  # fmt: skip
VERBS = ["match what", "differ from what", "surprise", "echo what", "confirm what", "contradict what",
         "add to what", "explain what"]  # fmt: skip
ENDINGS = ["my cousin saw last month.", "I read elsewhere.", "friends in Almaty describe.",
           "the earlier wave showed.", "officials promised.", "economists expected.",
           "my neighbours told me.", "the region has seen before."]  # fmt: skip
_counter = iter(range(10**6))


def civil_text() -> str:
    n = next(_counter)
    parts = [OPENERS, SUBJECTS, VERBS, ENDINGS]
    words = []
    for options in parts:
        words.append(options[n % len(options)])
        n //= len(options)
    return " ".join(words) + (f" ({'again ' * n})" if n else "")


def best_of_five(call, rounds: int) -> tuple[float, float]:
    """Seconds per call of `call()` over `rounds` calls, wall and this process's CPU, each the best of
    five runs (the least disturbed by the rest of the machine)."""
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            call()
        walls.append((time.perf_counter() - wall) / rounds)
        cpus.append((time.process_time() - cpu) / rounds)
    return min(walls), min(cpus)
