"""Read replicas for real: a primary and a streaming replica of the test's own (pg_basebackup -R),
a gunicorn node reading anonymous pages and the API's GETs from the replica. The replica is held
behind with recovery_min_apply_delay, so what each reader sees shows where it was read."""

import time

import pytest
import requests

from tests.conftest import wait_for
from tests.scale.conftest import SITE_ENV
from tests.topology import WebNode

pytestmark = pytest.mark.integration

COMMENTS = "/api/v1/articles/story/comments/"


def delay_replica(replica, seconds: float) -> None:
    replica.sql(f"ALTER SYSTEM SET recovery_min_apply_delay = '{int(seconds * 1000)}ms'")
    replica.sql("SELECT pg_reload_conf()")


@pytest.fixture
def node(replicated):
    primary, replica, name, _ = replicated
    nodes = []

    def start(**env: str) -> WebNode:
        nodes.append(
            WebNode(
                {
                    **SITE_ENV,
                    "DATABASE_URL": primary.url(name),
                    "DATABASE_REPLICA_URLS": replica.url(name),
                    **env,
                },
                workers=1,
            )
        )
        return nodes[-1]

    yield start
    for started in nodes:
        started.close()
    delay_replica(replica, 0)


def bodies(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [comment["body"] for comment in response.json()["results"]]


def test_the_writer_reads_their_comment_at_once_while_other_readers_read_the_replica(replicated, node):
    _, replica, _, (token, liker_token) = replicated
    delay_replica(replica, 3)
    site = node(REPLICA_MAX_LAG_SECONDS="600")
    writer, other = requests.Session(), requests.Session()
    writer.headers["Authorization"] = f"Token {token}"

    posted = writer.post(site.url + COMMENTS, json={"body": "Seen by its writer at once"})
    assert posted.status_code == 201, posted.text
    written_at = time.monotonic()
    assert "wrote" in writer.cookies  # the signed marker: the next reads go to the primary

    # Another reader is answered by the replica, which applies the primary's changes 3 s late;
    # the writer, by the primary.
    assert "Seen by its writer at once" not in bodies(other.get(site.url + COMMENTS))
    assert "Seen by its writer at once" in bodies(writer.get(site.url + COMMENTS))
    wait_for(
        lambda: "Seen by its writer at once" in bodies(other.get(site.url + COMMENTS)),
        timeout=15,
        message="the replica to show the comment",
    )
    assert time.monotonic() - written_at < SITE_ENV.get("PUBLIC_MAX_AGE", 10)

    # A like: its giver reads it at once; a reader with a forged marker reads the replica.
    forged = requests.Session()
    forged.cookies.set("wrote", "1:forged:signature")
    detail = f"{site.url}/api/v1/comments/{posted.json()['id']}/"
    wait_for(lambda: forged.get(detail).status_code == 200, timeout=15, message="the replica to have it")
    liker = requests.Session()
    liker.headers["Authorization"] = f"Token {liker_token}"
    liked = liker.put(detail + "like/")
    assert liked.status_code == 200 and liked.json()["like_count"] == 1
    assert liker.get(detail).json()["like_count"] == 1
    assert forged.get(detail).json()["like_count"] == 0
    wait_for(lambda: forged.get(detail).json()["like_count"] == 1, timeout=15, message="the replica")

    health = requests.get(site.url + "/healthz", timeout=10).json()
    assert health["replicas"]["replica0"].startswith("ok (lag ")


def test_a_replica_too_far_behind_is_skipped_and_healthz_says_so(replicated, node):
    primary, replica, _, (token, _) = replicated
    delay_replica(replica, 5)
    site = node(REPLICA_MAX_LAG_SECONDS="1", REPLICA_LAG_CHECK_SECONDS="0")
    writer = requests.Session()
    writer.headers["Authorization"] = f"Token {token}"

    time.sleep(1.5)  # the replica's last applied change is now older than REPLICA_MAX_LAG_SECONDS
    assert writer.post(site.url + COMMENTS, json={"body": "Past a lagging replica"}).status_code == 201
    # A replica knows it is behind once the change has reached it (streamed, not yet applied): until
    # then, a few milliseconds, nothing tells it apart from one that is current.
    written = primary.sql("SELECT pg_current_wal_lsn()::text")[0][0]
    wait_for(
        lambda: replica.sql(f"SELECT pg_last_wal_receive_lsn() >= '{written}'::pg_lsn")[0][0],
        timeout=10,
        message="the replica to receive the comment",
    )

    # The replica has not applied it and is more than a second behind: everyone reads the primary.
    assert "Past a lagging replica" in bodies(requests.get(site.url + COMMENTS, timeout=10))
    health = requests.get(site.url + "/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json()["replicas"]["replica0"].startswith("behind: lag ")


def test_with_the_replica_stopped_readers_are_answered_from_the_primary(replicated, node):
    _, replica, _, _ = replicated
    site = node(REPLICA_LAG_CHECK_SECONDS="0")
    replica.stop("immediate")
    try:
        started = time.monotonic()
        assert requests.get(site.url + COMMENTS, timeout=10).status_code == 200
        assert requests.get(site.url + "/articles/story/", timeout=10).status_code == 200
        assert time.monotonic() - started < 5
        health = requests.get(site.url + "/healthz", timeout=10)
        assert health.status_code == 200  # the site is up; the replica is only skipped
        assert health.json()["replicas"]["replica0"].startswith("down: ")
    finally:
        replica.start()
    wait_for(
        lambda: (
            requests.get(site.url + "/healthz", timeout=10).json()["replicas"]["replica0"].startswith("ok")
        ),
        timeout=20,
        message="the replica to be used again",
    )
