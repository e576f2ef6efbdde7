"""Processes the fault tests start and break: a supervised worker, a PostgreSQL cluster of their own.

Never the shared services: every process here runs on a spare port and a temporary directory.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

from tests.conftest import QUEUES, child_env, spare_port, stop_process, wait_for


def skip_on_the_sqlite_pass() -> None:
    """These suites run their own services and the same way on either pass of CI: the PostgreSQL
    pass runs them, the SQLite pass (DATABASE_URL=sqlite:...) skips them, as the `postgres` fixture does."""
    import pytest

    if os.environ.get("DATABASE_URL", "").startswith("sqlite"):
        pytest.skip("runs on the PostgreSQL pass: this run is on SQLite by choice (DATABASE_URL=sqlite:...)")


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


class SupervisedWorker:
    """`python -m config.worker` (what the Procfile runs), with the production worker settings."""

    def __init__(
        self, *, redis_url: str, env: dict | None = None, concurrency: int = 2, name: str = "faults"
    ):
        self.log = Path(settings.BASE_DIR, ".pytest_cache", f"supervised-{name}-{os.getpid()}.log")
        self.log.parent.mkdir(exist_ok=True)
        self._logfile = self.log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "config.worker", "-Q", ",".join(QUEUES), "--concurrency", str(concurrency),
             "-n", f"{name}@localhost", "--loglevel", "INFO"],
            cwd=settings.BASE_DIR, env=child_env(**{"REDIS_URL": redis_url, **(env or {})}),
            stdout=self._logfile, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.hostname = f"{name}@localhost"

    def worker_pid(self) -> int | None:
        found = children(self.proc.pid)
        return found[0] if found else None

    def stop(self) -> None:
        stop_process(self.proc)
        self._logfile.close()
        # Whatever the supervisor could not stop (it was killed): its worker's group.
        for pid in children(self.proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb under a temp dir, a spare port), to stop and start."""

    def __init__(self):
        # Not under pytest's tmp_path: as root, the server runs as `postgres`, which must reach it.
        root = self.root = Path(tempfile.mkdtemp(prefix="pg-faults-"))
        self.bin = _pg_bin()
        self.data = root / "pgdata"
        self.port = spare_port()
        self.log = root / "postgres.log"
        subprocess.run(
            [self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True, capture_output=True, **_as_postgres_user(root),
        )  # fmt: skip
        self.start()

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", *args],
            check=True, capture_output=True, **_as_postgres_user(None),
        )  # fmt: skip

    def start(self) -> None:
        self._ctl(
            "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off "
            "-c max_connections=60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._ctl("-m", "immediate", "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _pg_bin() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        raise FileNotFoundError("pg_ctl")
    return versions[-1].parent


def postgres_available() -> bool:
    try:
        _pg_bin()
    except FileNotFoundError:
        return False
    return True


def _as_postgres_user(root: Path | None) -> dict:
    """initdb and pg_ctl refuse to run as root: run them as the `postgres` account then."""
    if os.geteuid() != 0:
        return {}
    import pwd

    user = pwd.getpwnam("postgres")
    if root is not None:
        for path in [root, *root.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid)
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def wait_until(predicate, *, timeout: float, message: str):
    return wait_for(predicate, timeout=timeout, message=message)


def now() -> float:
    return time.monotonic()
