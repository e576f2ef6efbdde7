"""Benchmark: the site on many machines against one node of each, in the same run.

    python bench/scale_out.py            # BENCH_SECONDS=60 of load per layout

Every part is a process of its own on a spare port (tests/topology.py); the shared PostgreSQL,
Redis and RabbitMQ are never touched.

- one node: a PostgreSQL cluster, one redis-server, one gunicorn node, one Celery worker node.
- scaled out: the PostgreSQL primary with a streaming replica (pg_basebackup -R) and PgBouncer
  (transaction pooling) in front of the primary, Redis with two replicas and three Sentinels, two
  gunicorn nodes (the load generator alternates between their ports) and two Celery worker nodes.
  During the load it fails the Redis master over, kills a worker node and restarts the replica.

Load: readers (anonymous pages and the API), posters (each reads its own comments right after
posting), flaggers and two moderators claiming the reported queue. Printed: requests per second
per node, errors (5xx and connection errors), comments lost (a 201 never decided), comments the
checks decided twice, the most a poster's own read missed its comment (must be 0), the longest
another reader waited to see an approved comment (must stay within PUBLIC_MAX_AGE) and how long
the faults took to heal.
"""

import collections
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.topology import (  # noqa: E402
    PgBouncer,
    PostgresCluster,
    RedisServer,
    SentinelRedis,
    WebNode,
    migrate,
    wait_until,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
PUBLIC_MAX_AGE = 10
ENV = {
    "DEBUG": "true",  # no TLS redirect on 127.0.0.1; the bench compares layouts, not settings
    "LOG_LEVEL": "WARNING",
    "MODERATION_TOXICITY_CHECK": "false",
    "COMMENT_RATE_LIMIT": "1000",
    "COMMENT_IP_RATE_LIMIT": "100000",
    "MODERATION_SWEEP_AFTER_SECONDS": "0",
    "PUBLIC_MAX_AGE": str(PUBLIC_MAX_AGE),
    "CONN_MAX_AGE": "60",
}
SEED = """
from rest_framework.authtoken.models import Token
from tests.factories import ArticleFactory, UserFactory, moderator
ArticleFactory(slug="story", headline="The big story")
for _ in range(40):
    print("reader", Token.objects.create(user=UserFactory()).key)
for _ in range(2):
    print("moderator", Token.objects.create(user=moderator()).key)
"""


class Worker:
    def __init__(self, env: dict, name: str):
        self.log = open(f"/tmp/scale-out-{name}.log", "w")  # noqa: SIM115, S108
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "moderation,notifications,maintenance",
             "--concurrency", "2", "--without-gossip", "--without-mingle", "-n", f"{name}@localhost"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


class Layout:
    """The processes of one layout; `faults` are run during the load."""

    def __init__(self, scaled: bool):
        self.scaled = scaled
        self.closers = []
        try:
            self._start(scaled)
        except BaseException:
            self.close()
            raise

    def _start(self, scaled: bool) -> None:
        self.primary = self._keep(PostgresCluster())
        self.replica = self._keep(PostgresCluster(primary=self.primary)) if scaled else None
        self.primary.sql("CREATE DATABASE site")
        env = {**os.environ, **ENV, "DATABASE_URL": self.primary.url("site")}
        if scaled:
            self.bouncer = self._keep(PgBouncer(self.primary, pool_size=20))
            self.redis = self._keep(SentinelRedis(replicas=2, master_name="newsroom"))
            env.update(
                DATABASE_URL=self.bouncer.url("site"),
                DATABASE_POOLER="transaction",
                DATABASE_REPLICA_URLS=self.replica.url("site"),
                REDIS_URL="redis://newsroom/0",
                REDIS_SENTINELS=self.redis.addresses,
                REDIS_SENTINEL_MASTER="newsroom",
            )
        else:
            self.redis = self._keep(RedisServer())
            env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis.port}/0"
        self.env = env
        migrate(self.primary.url("site"), **ENV, REDIS_URL="")
        seeded = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED], cwd=ROOT, capture_output=True, text=True, check=True,
            env={**os.environ, **ENV, "DATABASE_URL": self.primary.url("site"), "REDIS_URL": ""},
        ).stdout.splitlines()  # fmt: skip
        tokens = [line.split() for line in seeded if line.startswith(("reader ", "moderator "))]
        self.readers = [token for kind, token in tokens if kind == "reader"]
        self.moderators = [token for kind, token in tokens if kind == "moderator"]
        count = 2 if scaled else 1
        self.nodes = [self._keep(WebNode(env, workers=2)) for _ in range(count)]
        self.workers = [Worker(env, f"{'scaled' if scaled else 'one'}-{n}") for n in range(count)]
        self.closers += [w.kill for w in self.workers]
        wait_until(
            lambda: requests.get(self.nodes[0].url + "/healthz", timeout=5).status_code == 200, 90, "a worker"
        )

    def _keep(self, part):
        self.closers.append(part.close)
        return part

    def close(self) -> None:
        for close in reversed(self.closers):
            try:
                close()
            except Exception as error:  # noqa: BLE001 - the rest still closes
                print("closing:", error)  # noqa: T201


def run(layout: Layout) -> dict:
    stop = threading.Event()
    stats = collections.Counter()
    per_node = collections.Counter()
    posted: list[int] = []
    writer_missed = [0]
    lock = threading.Lock()
    heal: dict[str, float] = {}

    def call(method: str, path: str, token: str | None = None, n: int = 0, **kwargs):
        node = layout.nodes[n % len(layout.nodes)]
        headers = {"Authorization": f"Token {token}"} if token else {}
        try:
            response = requests.request(method, node.url + path, headers=headers, timeout=10, **kwargs)
        except requests.RequestException:
            with lock:
                stats["errors"] += 1
            return None
        with lock:
            per_node[node.url] += 1
            if response.status_code >= 500 and response.status_code != 503:
                stats["errors"] += 1
            stats[f"status {response.status_code}"] += 1
        return response

    def reader(n: int) -> None:
        while not stop.is_set():
            call("GET", random.choice(["/articles/story/", "/api/v1/articles/story/comments/"]), n=n)
            n += 1

    def poster(n: int) -> None:
        session = requests.Session()
        token = layout.readers[n]
        while not stop.is_set():
            node = layout.nodes[n % len(layout.nodes)]
            try:
                response = session.post(
                    node.url + "/api/v1/articles/story/comments/",
                    json={"body": f"Reader {n} at {time.time():.3f} writes about the story."},
                    headers={"Authorization": f"Token {token}"},
                    timeout=10,
                )
            except requests.RequestException:
                with lock:
                    stats["errors"] += 1
                continue
            with lock:
                per_node[node.url] += 1
                stats[f"status {response.status_code}"] += 1
            if response.status_code != 201:
                time.sleep(0.2)
                continue
            comment_id = response.json()["id"]
            with lock:
                posted.append(comment_id)
            # The poster reads its own comments at once, on the other node (its marker goes along).
            other = layout.nodes[(n + 1) % len(layout.nodes)]
            try:
                mine = session.get(
                    other.url + "/api/v1/me/comments/",
                    headers={"Authorization": f"Token {token}"},
                    timeout=10,
                )
                if mine.status_code == 200 and comment_id not in [c["id"] for c in mine.json()["results"]]:
                    writer_missed[0] += 1
            except requests.RequestException:
                stats["errors"] += 1
            n += 2
            time.sleep(0.5)

    def flagger(n: int) -> None:
        token = layout.readers[20 + n]
        while not stop.is_set():
            with lock:
                target = random.choice(posted) if posted else None
            if target:
                call("POST", f"/api/v1/comments/{target}/flags/", token, n=n, json={"reason": "off_topic"})
            n += 1
            time.sleep(0.5)

    def moderator(n: int) -> None:
        token = layout.moderators[n]
        while not stop.is_set():
            claimed = call(
                "POST", "/api/v1/moderation/queue/claim/", token, n=n, json={"queue": "reported", "count": 5}
            )
            for item in claimed.json() if claimed is not None and claimed.status_code == 200 else []:
                item = item if isinstance(item, dict) else {}
                if "id" in item:
                    call("POST", f"/api/v1/moderation/items/{item['id']}/decision/", token, n=n,
                         json={"action": "approve", "version": item.get("comment", {}).get("version", 1)})  # fmt: skip
            n += 1
            time.sleep(1)

    def stale_watch() -> None:
        """How long after the primary approved a comment until an anonymous reader sees it."""
        seen_late = []
        with psycopg.connect(layout.primary.url("site"), autocommit=True) as db:
            while not stop.is_set():
                row = db.execute(
                    "SELECT id FROM comments_comment WHERE status = 'approved' ORDER BY id DESC LIMIT 1"
                ).fetchone()
                if row is None:
                    time.sleep(0.2)
                    continue
                approved_at, n = time.monotonic(), 0
                while not stop.is_set():
                    response = call("GET", f"/api/v1/comments/{row[0]}/", n=n)
                    n += 1
                    if response is not None and response.status_code == 200:
                        seen_late.append(time.monotonic() - approved_at)
                        break
                    time.sleep(0.05)
                time.sleep(0.5)
        stats["stale_max"] = max(seen_late, default=0.0)

    def faults() -> None:
        if not layout.scaled:
            return
        stop.wait(SECONDS / 4)
        old = layout.redis.master()
        old.kill()
        started = time.monotonic()
        wait_until(lambda: layout.redis.master_port() != old.port, 60, "the Redis failover")
        heal["redis failover s"] = time.monotonic() - started
        stop.wait(SECONDS / 4)
        layout.workers[1].kill()  # a worker node gone mid-work: its tasks are redelivered
        heal["worker node killed at s"] = SECONDS / 2
        stop.wait(SECONDS / 4)
        started = time.monotonic()
        layout.replica.stop("immediate")
        layout.replica.start()
        wait_until(
            lambda: requests.get(layout.nodes[0].url + "/healthz", timeout=5).json()["replicas"]["replica0"].startswith("ok"),
            60, "the replica back",
        )  # fmt: skip
        heal["replica restart s"] = time.monotonic() - started

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(6)]
    threads += [threading.Thread(target=poster, args=(n,)) for n in range(6)]
    threads += [threading.Thread(target=flagger, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=moderator, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=stale_watch), threading.Thread(target=faults)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    # Whatever lost its message (the Redis failover, the killed worker) is swept up, as beat does.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from moderation.tasks import sweep_pending; sweep_pending()"],
        cwd=ROOT, env=layout.env, check=True, capture_output=True,
    )  # fmt: skip
    with psycopg.connect(layout.primary.url("site"), autocommit=True) as db:

        def pending() -> int:
            return db.execute(
                "SELECT count(*) FROM comments_comment WHERE id = ANY(%s) AND status = 'pending'", [posted]
            ).fetchone()[0]

        deadline = time.monotonic() + 120
        while pending() and time.monotonic() < deadline:
            time.sleep(1)
        stored = db.execute("SELECT count(*) FROM comments_comment WHERE id = ANY(%s)", [posted]).fetchone()[
            0
        ]
        twice = db.execute(
            "SELECT count(*) FROM (SELECT comment_id FROM comments_auditrecord WHERE comment_id = ANY(%s)"
            " GROUP BY comment_id HAVING count(*) > 1) t",
            [posted],
        ).fetchone()[0]
        lost = (len(posted) - stored) + pending()
    return {
        "per_node": {url: count / elapsed for url, count in per_node.items()},
        "errors": stats["errors"],
        "posted": len(posted),
        "lost": lost,
        "twice": twice,
        "writer_missed": writer_missed[0],
        "stale_max": stats["stale_max"],
        "heal": heal,
        "statuses": {k: v for k, v in stats.items() if k.startswith("status")},
    }


def main() -> None:
    results = {}
    for name, scaled in (("one node", False), ("scaled out", True)):
        print(f"starting {name}...", flush=True)  # noqa: T201
        layout = Layout(scaled)
        try:
            results[name] = run(layout)
        finally:
            layout.close()
    print(f"\n{SECONDS} s of load per layout (6 readers, 6 posters, 2 flaggers, 2 moderators)\n")  # noqa: T201
    rows = [
        ("requests/s per node", lambda r: " + ".join(f"{v:.0f}" for v in r["per_node"].values())),
        ("requests/s in all", lambda r: f"{sum(r['per_node'].values()):.0f}"),
        ("errors (5xx other than 503, refused)", lambda r: str(r["errors"])),
        ("comments posted (201)", lambda r: str(r["posted"])),
        ("comments lost (must be 0)", lambda r: str(r["lost"])),
        ("decided twice by the checks (0)", lambda r: str(r["twice"])),
        ("poster missed own comment (0)", lambda r: str(r["writer_missed"])),
        (f"others' longest stale, s (<= {PUBLIC_MAX_AGE})", lambda r: f"{r['stale_max']:.1f}"),
        ("faults healed", lambda r: ", ".join(f"{k} {v:.1f}" for k, v in r["heal"].items()) or "-"),
        ("answers", lambda r: ", ".join(f"{k.split()[1]}: {v}" for k, v in sorted(r["statuses"].items()))),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'':{width}}  {'one node':>20}  {'scaled out':>20}")  # noqa: T201
    for label, value in rows:
        print(f"{label:{width}}  {value(results['one node']):>20}  {value(results['scaled out']):>20}")  # noqa: T201


if __name__ == "__main__":
    main()
