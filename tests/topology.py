"""The many-machine parts as processes of their own on spare ports: a PostgreSQL primary and its
streaming replicas (own clusters under a temp dir), PgBouncer, gunicorn nodes. Used by
tests/scale/ and bench/scale_out.py; the shared PostgreSQL and Redis are never touched.

Plain Python (no pytest), so the bench can start the same topology.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG_BIN = next(
    (Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True) if (p / "initdb").exists()),
    None,
) if Path("/usr/lib/postgresql").exists() else None  # fmt: skip


def pg_tool(name: str) -> str | None:
    if PG_BIN and (PG_BIN / name).exists():
        return str(PG_BIN / name)
    return shutil.which(name)


def binary(name: str) -> str | None:
    """Where a server's program is: PostgreSQL's own bin directory, PATH, or /usr/sbin (where
    Debian puts pgbouncer and rabbitmqctl, not on a user's PATH)."""
    if name.startswith("pg_") or name == "initdb":
        return pg_tool(name)
    found = shutil.which(name)
    if found is None and os.access(f"/usr/sbin/{name}", os.X_OK):
        found = f"/usr/sbin/{name}"
    return found


def missing_binaries(*names: str) -> list[str]:
    return [name for name in names if binary(name) is None]


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_service_user(cmd: list[str]) -> list[str]:
    """PostgreSQL and PgBouncer refuse to run as root: as root, run them as `postgres`."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _owned_tempdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - not up yet
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}")


class PostgresCluster:
    """A cluster of its own: a primary (initdb, wal_level=replica), or a streaming replica of one
    (pg_basebackup -R). Durability is traded for speed (fsync off): it lives for one run."""

    def __init__(self, *, primary: "PostgresCluster | None" = None):
        self.port = spare_port()
        self.root = _owned_tempdir(f"pg{self.port}-")
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.primary = primary
        if primary is None:
            self._run(
                [
                    pg_tool("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            )
            settings = {
                "listen_addresses": "'127.0.0.1'",
                "wal_level": "replica",
                "max_wal_senders": "10",
                "max_connections": "200",
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
                "hot_standby_feedback": "on",
                "timezone": "'UTC'",
            }
        else:
            self._run([
                pg_tool("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                "-D", str(self.data), "-R", "-X", "stream", "--no-sync",
            ])  # fmt: skip
            settings = {"hot_standby": "on"}
        settings.update({"port": str(self.port), "unix_socket_directories": f"'{self.root}'"})
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self.start()

    def _run(self, cmd: list[str]) -> None:
        subprocess.run(_as_service_user(cmd), check=True, capture_output=True)

    def start(self) -> None:
        self._run([pg_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start"])

    def stop(self, mode: str = "fast") -> None:
        self._run([pg_tool("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, dbname: str = "postgres"):
        import psycopg

        with psycopg.connect(self.url(dbname), autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else None

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def migrate(database_url: str, **env: str) -> None:
    """Create the site's tables on a fresh database, as a deploy does."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE_DIR, env={**os.environ, "DATABASE_URL": database_url, **env}, check=True,
    )  # fmt: skip


class PgBouncer:
    """PgBouncer in transaction pooling in front of a cluster (every database name, trust auth)."""

    def __init__(self, cluster: PostgresCluster, *, pool_size: int = 20):
        self.port = spare_port()
        self.root = _owned_tempdir(f"pgbouncer{self.port}-")
        (self.root / "users.txt").write_text('"postgres" ""\n')
        (self.root / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host=127.0.0.1 port={cluster.port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.root / 'users.txt'}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = 500\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
            f"logfile = {self.root / 'pgbouncer.log'}\n"
        )
        if os.geteuid() == 0:
            for path in self.root.iterdir():
                shutil.chown(path, "postgres", "postgres")
        self.proc = subprocess.Popen(
            _as_service_user([binary("pgbouncer"), str(self.root / "pgbouncer.ini")]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        import psycopg

        wait_until(lambda: psycopg.connect(self.url(), connect_timeout=1).close() or True, 20, "pgbouncer")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)


class WebNode:
    """A gunicorn node (config.wsgi) with its own environment, on a spare port."""

    def __init__(self, env: dict[str, str], *, workers: int = 2, log: Path | None = None):
        self.port = spare_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or Path(tempfile.mkstemp(prefix=f"gunicorn{self.port}-", suffix=".log")[1])
        self._logfile = self.log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}",
                "-w", str(workers), "--timeout", "60",
            ],
            cwd=BASE_DIR, env={**os.environ, **env}, stdout=self._logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

        def up():
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):  # noqa: S310 - local
                    return True
            except urllib.error.HTTPError:
                return True  # a 503 from /healthz is still an answer

        wait_until(up, 60, f"gunicorn on {self.port}")

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._logfile.close()


class RedisServer:
    """A redis-server of its own (a master, or a replica of one), or a Sentinel watching one."""

    def __init__(self, *, replica_of: "RedisServer | None" = None, sentinel_of: "RedisServer | None" = None,
                 master_name: str = "newsroom"):  # fmt: skip
        import redis

        self.port = spare_port()
        self.root = Path(tempfile.mkdtemp(prefix=f"redis{self.port}-"))
        lines = [f"port {self.port}", "bind 127.0.0.1", 'save ""', "appendonly no", f"dir {self.root}"]
        if replica_of:
            lines.append(f"replicaof 127.0.0.1 {replica_of.port}")
        if sentinel_of:
            lines = [
                f"port {self.port}", "bind 127.0.0.1", f"dir {self.root}",
                f"sentinel monitor {master_name} 127.0.0.1 {sentinel_of.port} 2",
                f"sentinel down-after-milliseconds {master_name} 1000",
                f"sentinel failover-timeout {master_name} 5000",
                f"sentinel parallel-syncs {master_name} 1",
            ]  # fmt: skip
        conf = self.root / "redis.conf"
        conf.write_text("\n".join(lines) + "\n")
        cmd = [shutil.which("redis-server"), str(conf)] + (["--sentinel"] if sentinel_of else [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, start_new_session=True)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_until(client.ping, 10, f"redis-server on {self.port}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)


class SentinelRedis:
    """A Redis master, `replicas` replicas and three Sentinels, each a process on a spare port."""

    def __init__(self, *, replicas: int = 1, master_name: str = "newsroom"):
        import redis

        self.master_name = master_name
        self.servers = [RedisServer()]
        self.servers += [RedisServer(replica_of=self.servers[0]) for _ in range(replicas)]
        self.sentinels: list[RedisServer] = []
        self.sentinels += [
            RedisServer(sentinel_of=self.servers[0], master_name=master_name) for _ in range(3)
        ]
        self.addresses = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        ask = redis.Redis(port=self.sentinels[0].port, socket_timeout=1)

        def ready():  # the Sentinels know each other and the replicas (a failover needs both)
            known = ask.sentinel_master(master_name)
            return known["num-other-sentinels"] >= 2 and known["num-slaves"] >= replicas

        try:
            wait_until(ready, 30, "the Sentinels to find each other")
        except BaseException:
            self.close()
            raise

    def master_port(self) -> int:
        import redis

        ask = redis.Redis(port=self.sentinels[0].port, socket_timeout=1)
        return int(ask.sentinel_get_master_addr_by_name(self.master_name)[1])

    def master(self) -> RedisServer:
        port = self.master_port()
        return next(s for s in self.servers if s.port == port)

    def close(self) -> None:
        for server in self.sentinels + self.servers:
            server.close()
