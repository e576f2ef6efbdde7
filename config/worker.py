"""A supervised Celery worker: restarted when it exits, or when it stops taking work.

    python -m config.worker [celery worker options]   # e.g. -Q moderation,notifications,maintenance

The worker mends a Redis fault itself (config/broker.py, the broker settings); this is the second
layer, for whatever else could stop it. The worker runs as a child under a name of its own
(`-n`, default supervised-<pid>@<host>). Every WORKER_HEARTBEAT_SECONDS the supervisor sends the
heartbeat task to that worker alone (its direct queue, CELERY_WORKER_DIRECT) and reads back when
the worker last ran one (config/tasks.py): a worker that answers pings but takes no message is
found out too. It is restarted when it exits, or when Redis answers and no heartbeat of its
own came for WORKER_STALE_SECONDS (3 heartbeat intervals, as /healthz counts; a starting worker
gets WORKER_START_SECONDS, 60, for its first). Time while Redis does not answer counts for nothing,
since no worker can take work then.

SIGTERM or SIGINT stop the worker (warm shutdown, killed after WORKER_STOP_SECONDS) and then the
supervisor. `make run` (Procfile) uses it; README shows it under systemd.
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import time

log = logging.getLogger("config.worker")


class Supervisor:
    def __init__(
        self,
        argv: list[str],
        *,
        interval: float,
        stale_after: float,
        stop_seconds: float,
        start_seconds: float,
    ):
        self.argv = list(argv)
        if not any(a in ("-n", "--hostname") or a.startswith("--hostname=") for a in self.argv):
            self.argv += ["-n", f"supervised-{os.getpid()}@{socket.gethostname()}"]
        self.hostname = self._option("-n", "--hostname")
        self.interval = interval
        self.stale_after = stale_after
        self.stop_seconds = stop_seconds
        self.start_seconds = start_seconds
        self.child: subprocess.Popen | None = None
        self.stopping = False
        self.restarts = 0

    def _option(self, short: str, long: str) -> str:
        for i, arg in enumerate(self.argv):
            if arg in (short, long):
                return self.argv[i + 1]
            if arg.startswith(long + "="):
                return arg.split("=", 1)[1]
        return ""

    def start_child(self) -> None:
        cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", *self.argv]
        self.child = subprocess.Popen(cmd, start_new_session=True)  # noqa: S603 - our own argv
        self.started = self.fresh_at = time.monotonic()
        self.started_wall = time.time()
        self.last_beat = None  # the latest heartbeat this child ran
        log.warning("worker %s started (pid %s)", self.hostname, self.child.pid)

    def stop_child(self) -> None:
        child = self.child
        if child is None or child.poll() is not None:
            return
        child.terminate()  # warm shutdown: running tasks finish (acks_late: the rest come back)
        try:
            child.wait(timeout=self.stop_seconds)
        except subprocess.TimeoutExpired:
            log.warning("worker %s did not stop within %s s: killed", self.hostname, self.stop_seconds)
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()

    def probe(self) -> None:
        """Ask this worker for a heartbeat and read when it last ran one; note when it was fresh."""
        from celery.utils.nodenames import worker_direct
        from django.core.cache import caches

        from .tasks import heartbeat, worker_heartbeat_key

        try:
            beat = caches["strict"].get(worker_heartbeat_key(self.hostname))
        except Exception:  # noqa: BLE001 - Redis away: no worker can take work, nothing to judge
            self.fresh_at = time.monotonic()
            return
        if beat is not None and beat > self.started_wall and beat != self.last_beat:
            self.last_beat = beat
            self.fresh_at = time.monotonic()
        try:
            heartbeat.apply_async(queue=worker_direct(self.hostname))
        except Exception:  # noqa: BLE001 - the broker did not take it: judged at the next look
            self.fresh_at = max(self.fresh_at, time.monotonic() - self.interval)

    def stale(self) -> bool:
        # Until its first heartbeat a starting worker (the harm model to load) gets start_seconds.
        allowed = (
            self.stale_after if self.last_beat is not None else max(self.stale_after, self.start_seconds)
        )
        return time.monotonic() - self.fresh_at > allowed

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        self.start_child()
        while not self.stopping:
            self._sleep(self.interval)
            if self.stopping:
                break
            code = self.child.poll()
            if code is not None:
                log.warning("worker %s exited (%s): starting it again", self.hostname, code)
                self._restart(backoff=True)
                continue
            self.probe()
            if self.stale():
                log.warning(
                    "worker %s ran no heartbeat for %.0f s though Redis answers: restarting it",
                    self.hostname,
                    time.monotonic() - self.fresh_at,
                )
                self._restart(backoff=False)
        self.stop_child()
        return 0

    def _restart(self, *, backoff: bool) -> None:
        self.stop_child()
        self.restarts += 1
        if backoff and time.monotonic() - self.started < 60:  # exits at once: do not spin
            self._sleep(min(30, 2 ** min(self.restarts, 5)))
        if not self.stopping:
            self.start_child()

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    logging.basicConfig(level=logging.INFO, format="[%(asctime)s: %(levelname)s/supervisor] %(message)s")
    interval = float(settings.WORKER_HEARTBEAT_SECONDS)
    supervisor = Supervisor(
        argv,
        interval=interval,
        stale_after=float(os.environ.get("WORKER_STALE_SECONDS", 3 * interval)),
        stop_seconds=float(os.environ.get("WORKER_STOP_SECONDS", 30)),
        start_seconds=float(os.environ.get("WORKER_START_SECONDS", 60)),
    )
    return supervisor.run()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
