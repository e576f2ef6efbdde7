"""RabbitMQ as the broker (CELERY_BROKER_URL=amqp://...): the site's own tests of a worker process
approving a posted comment, redelivery after a worker is killed mid-task (acks late), and the
sweep finding a comment whose message never reached the broker, run again with RabbitMQ.

They use a vhost of their own on the RabbitMQ at 127.0.0.1:5672, deleted afterwards; no other
vhost is touched."""

import os
import subprocess
import sys
import uuid

import pytest

from tests.conftest import IN_CI, require
from tests.scale.conftest import require_binaries
from tests.topology import BASE_DIR, binary

pytestmark = pytest.mark.integration

WITH_RABBITMQ = [
    "tests/comments/test_integration.py::test_comment_posted_through_the_api_is_approved_by_a_worker_process",
    "tests/moderation/test_worker.py::test_worker_killed_mid_task_leaves_nothing_stuck_or_decided_twice",
    "tests/moderation/test_worker.py::test_comment_saved_while_the_broker_is_unreachable_is_approved_once_it_is_back",
]


def rabbitmqctl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([binary("rabbitmqctl"), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def vhost():
    require_binaries("rabbitmqctl")
    require(rabbitmqctl("status").returncode == 0, "needs a running rabbitmq-server on 127.0.0.1:5672")
    name = f"wt-{uuid.uuid4().hex[:12]}"
    assert rabbitmqctl("add_vhost", name).returncode == 0
    try:
        assert rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*").returncode == 0
        yield name
    finally:
        rabbitmqctl("delete_vhost", name)


def test_acks_late_redelivery_and_the_sweep_behave_with_rabbitmq_as_with_redis(vhost):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        # A database of its own: the outer run holds the usual test database.
        "DATABASE_URL": os.environ.get("DATABASE_URL", "").rstrip("/") + "_amqp"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else os.environ.get("DATABASE_URL", ""),
        "CI": "true" if IN_CI else os.environ.get("CI", ""),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *WITH_RABBITMQ],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{len(WITH_RABBITMQ)} passed" in done.stdout
    # The work went through RabbitMQ: the worker declared its queues in this vhost.
    queues = rabbitmqctl("list_queues", "-p", vhost, "name", "--quiet", "--no-table-headers").stdout.split()
    assert {"moderation", "notifications", "maintenance"} <= set(queues)
