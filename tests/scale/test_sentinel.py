"""Redis behind Sentinel: a master, a replica and three Sentinels of the test's own; a gunicorn
node and a worker process whose caches, rate limits and broker go through the Sentinels. The
master is killed while readers post: every answer is 201 or 503 within the timeouts (no hang), no
201 is lost, and anonymous pages (the tracked copies) follow the new master."""

import os
import subprocess
import sys
import time
import uuid

import pytest
import requests
from rest_framework.authtoken.models import Token

from comments.models import Comment
from tests.conftest import child_env, stop_process, wait_for
from tests.factories import ArticleFactory, UserFactory
from tests.scale.conftest import require_binaries
from tests.topology import BASE_DIR, SentinelRedis, WebNode

pytestmark = pytest.mark.integration

WORDS = ["Good reporting", "I disagree with the mayor", "Thanks for the map", "Where is the bridge",
         "My street flooded too", "The council knew", "Great photos", "Who paid for it"]  # fmt: skip


@pytest.fixture
def redis_ha():
    require_binaries("redis-server")
    topology = SentinelRedis(replicas=1, master_name="newsroom")
    yield topology
    topology.close()


def test_a_master_failover_keeps_answers_201_or_503_and_loses_nothing(redis_ha, transactional_db):
    ArticleFactory(slug="story")
    tokens = [Token.objects.create(user=UserFactory()).key for _ in range(30)]
    env = child_env(
        REDIS_URL="redis://newsroom/0",
        REDIS_SENTINELS=redis_ha.addresses,
        REDIS_SENTINEL_MASTER="newsroom",
        MODERATION_TOXICITY_CHECK="false",
        MODERATION_SWEEP_AFTER_SECONDS="0",
        COMMENT_IP_RATE_LIMIT="1000",
        COMMENT_RATE_LIMIT="100",
        COMMENT_PAGE_SIZE="200",
    )
    node = WebNode(env, workers=2)
    log = open(BASE_DIR / ".pytest_cache" / "sentinel-worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "moderation,notifications,maintenance",
         "--concurrency", "1", "--without-gossip", "--without-mingle", "-n", f"sentinel-{os.getpid()}@localhost"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        # The worker's heartbeat reaches /healthz through the Sentinels' master.
        wait_for(
            lambda: requests.get(node.url + "/healthz", timeout=5).json()["worker"].startswith("ok"),
            timeout=60,
            message="the worker's heartbeat",
        )
        answers = []

        def post(n: int) -> None:
            started = time.monotonic()
            response = requests.post(
                f"{node.url}/api/v1/articles/story/comments/",
                json={"body": f"{WORDS[n % len(WORDS)]} ({uuid.uuid4().hex[:8]}), says reader {n}."},
                headers={"Authorization": f"Token {tokens[n % len(tokens)]}"},
                timeout=30,
            )
            answers.append((n, response.status_code, time.monotonic() - started, response))

        post(0)
        wait_for(lambda: Comment.objects.filter(status="approved").count() == 1, message="the first approval")
        assert requests.get(node.url + "/articles/story/", timeout=5).status_code == 200  # kept in Redis

        old = redis_ha.master()
        old.kill()
        killed = time.monotonic()
        n, failed_over_after = 1, None
        while time.monotonic() - killed < 20:
            post(n)
            n += 1
            if failed_over_after is None and redis_ha.master_port() != old.port:
                failed_over_after = time.monotonic() - killed
            if failed_over_after is not None and time.monotonic() - killed > failed_over_after + 3:
                break
            time.sleep(0.2)
        assert failed_over_after is not None, "the Sentinels did not fail over"
        print(f"failover took {failed_over_after:.1f} s; {n - 1} posts during it")  # noqa: T201

        statuses = {status for _, status, _, _ in answers}
        assert statuses <= {201, 503}, [(n, s, r.text[:200]) for n, s, _, r in answers if s not in (201, 503)]
        assert all(r["Retry-After"] for _, s, _, r in answers if s == 503)
        assert max(seconds for _, _, seconds, _ in answers) < 3  # no hang on the dead master
        saved = [r.json()["id"] for _, status, _, r in answers if status == 201]

        # What lost its message to the dead master is swept up (beat's job) and decided.
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", "from moderation.tasks import sweep_pending; sweep_pending()"],
            cwd=BASE_DIR, env=env, check=True, capture_output=True,
        )  # fmt: skip
        wait_for(
            lambda: not Comment.objects.filter(pk__in=saved, status="pending").exists(),
            timeout=60,
            message="every comment that got a 201 to be decided",
        )
        # Anonymous pages follow the new master's versions: the last comment shows.
        last = Comment.objects.filter(pk__in=saved, status="approved").latest("id").body
        wait_for(
            lambda: last in requests.get(node.url + "/articles/story/", timeout=5).text,
            timeout=15,
            message="the anonymous page to show the last comment",
        )
    finally:
        stop_process(worker)
        log.close()
        node.close()
