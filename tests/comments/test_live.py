"""Live threads: GET /api/v1/articles/<slug>/comments/updates/?since= answers from Redis alone,
and /articles/<slug>/comments/live/?ids= gives the announced comments' HTML."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from rest_framework.test import APIClient

from accounts.models import IgnoredCommenter
from comments import live
from comments.services import change_status
from tests.conftest import spare_port
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db
UPDATES = "/api/v1/articles/story/comments/updates/"


@pytest.fixture(autouse=True)
def _needs_redis(redis_client):
    """The live version lives in Redis: these tests use the real one."""


@pytest.fixture
def article():
    return ArticleFactory(slug="story")


def publish(comment) -> None:
    change_status(
        comment=comment, to_status="approved", actor_name="system", action="moderation.comment.approved"
    )


@pytest.fixture
def approve(django_capture_on_commit_callbacks):
    def run(comment):
        with django_capture_on_commit_callbacks(execute=True):
            publish(comment)
        return comment

    return run


def test_a_comment_published_after_the_page_was_built_is_announced(article, approve):
    alice = UserFactory()
    top = approve(make_comment(article=article, author=alice, status="pending"))
    reply = approve(make_comment(article=article, parent=top, status="pending"))

    answer = APIClient().get(f"{UPDATES}?since=1").json()

    assert answer == {
        "version": 2,
        "count": 1,
        "comments": [{"id": reply.pk, "parent": top.pk, "answers": alice.pk}],
        "complete": True,
    }


def test_nothing_new_is_a_304_with_no_sql(article, approve, django_assert_num_queries):
    approve(make_comment(article=article, status="pending"))
    first = APIClient().get(f"{UPDATES}?since=0")

    with django_assert_num_queries(0):
        again = APIClient().get(f"{UPDATES}?since=0", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_an_answer_takes_no_sql_for_signed_in_readers_either(article, approve, django_assert_num_queries):
    approve(make_comment(article=article, status="pending"))
    client = APIClient()
    client.force_login(UserFactory())

    with django_assert_num_queries(0):
        answer = client.get(f"{UPDATES}?since=0")

    assert answer.json()["count"] == 1


def test_signed_in_and_anonymous_readers_share_one_answer_for_shared_caches(article, approve):
    approve(make_comment(article=article, status="pending"))
    anonymous = APIClient().get(f"{UPDATES}?since=0")
    client = APIClient()
    client.force_login(UserFactory())

    signed_in = client.get(f"{UPDATES}?since=0", HTTP_IF_NONE_MATCH=anonymous["ETag"])

    assert signed_in.status_code == 304
    assert anonymous["Cache-Control"] == signed_in["Cache-Control"] == "public, no-cache"
    assert "Cookie" not in anonymous.get("Vary", "")
    assert "Set-Cookie" not in anonymous


def test_an_answer_kept_for_an_older_since_follows_each_announcement(article, approve):
    approve(make_comment(article=article, status="pending"))
    APIClient().get(f"{UPDATES}?since=0")  # kept
    second = approve(make_comment(article=article, status="pending"))

    answer = APIClient().get(f"{UPDATES}?since=0").json()

    assert (answer["version"], answer["comments"][-1]["id"]) == (2, second.pk)


def test_a_new_comment_changes_the_etag(article, approve):
    approve(make_comment(article=article, status="pending"))
    first = APIClient().get(f"{UPDATES}?since=0")
    second = approve(make_comment(article=article, status="pending"))

    again = APIClient().get(f"{UPDATES}?since=0", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert [c["id"] for c in again.json()["comments"]][-1] == second.pk


def test_edits_likes_and_rejections_are_not_announced(article, approve, django_capture_on_commit_callbacks):
    comment = approve(make_comment(article=article, status="pending"))
    with django_capture_on_commit_callbacks(execute=True):
        change_status(comment=comment, to_status="rejected", actor_name="mod", action="x.rejected")
        change_status(comment=comment, to_status="approved", actor_name="mod", action="x.approved")
        change_status(
            comment=make_comment(article=article, status="pending"),
            to_status="rejected",
            actor_name="system",
            action="moderation.comment.rejected",
        )

    assert APIClient().get(f"{UPDATES}?since=0").json()["count"] == 1


def test_an_article_with_nothing_announced_is_at_version_0(article):
    assert APIClient().get(f"{UPDATES}?since=0").json() == {
        "version": 0,
        "count": 0,
        "comments": [],
        "complete": True,
    }


def test_an_unknown_article_is_404():
    assert APIClient().get("/api/v1/articles/nope/comments/updates/?since=0").status_code == 404


@pytest.mark.parametrize("since", ["", "-1", "abc", "1e400", "1.5", str(2**53 + 1)])
def test_a_bad_since_is_400(article, since):
    response = APIClient().get(f"{UPDATES}?since={since}")

    assert response.status_code == 400
    assert "since" in response.json()


def test_a_missing_since_is_400(article):
    assert APIClient().get(UPDATES).status_code == 400


def test_a_since_ahead_of_the_version_gets_the_version_to_start_again_from(article, approve):
    approve(make_comment(article=article, status="pending"))

    assert APIClient().get(f"{UPDATES}?since=99").json()["version"] == 1


def test_a_reader_far_behind_gets_the_newest_and_is_told_the_list_is_incomplete(article):
    for n in range(live.SLOTS + 5):
        live._announce("story", (1000 + n, None, None))

    answer = APIClient().get(f"{UPDATES}?since=0").json()

    assert (answer["version"], answer["count"], answer["complete"]) == (55, 55, False)
    assert [c["id"] for c in answer["comments"]] == list(range(1005, 1055))


def test_a_number_counted_but_not_yet_written_ends_the_answer_before_it(article):
    live._announce("story", (1, None, None))
    caches["strict"].incr(live._counter("story"))  # another process between its incr and its set

    answer = APIClient().get(f"{UPDATES}?since=0").json()

    assert (answer["version"], answer["count"]) == (1, 1)


def test_redis_down_is_a_503_with_retry_after(article, settings):
    dead = f"redis://127.0.0.1:{spare_port()}/0"
    settings.CACHES = {
        name: {**django_settings.CACHES[name], "LOCATION": dead} for name in ("default", "strict")
    }

    response = APIClient().get(f"{UPDATES}?since=0")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "reload the page" in response.json()["detail"]


def test_a_page_built_while_redis_is_down_does_not_ask(article, client, settings):
    dead = f"redis://127.0.0.1:{spare_port()}/0"
    settings.CACHES = {
        name: {**django_settings.CACHES[name], "LOCATION": dead} for name in ("default", "strict")
    }

    page = client.get("/articles/story/")

    assert page.status_code == 200
    assert "data-live-url" not in page.content.decode()


@pytest.mark.parametrize("since", ["abc", "-1", "1e400"])
def test_a_bad_since_is_400_with_if_none_match_too(article, since):
    response = APIClient().get(f"{UPDATES}?since={since}", HTTP_IF_NONE_MATCH='"live-0-0"')

    assert response.status_code == 400


def test_the_page_says_where_to_ask_and_from_which_version(article, approve, client):
    approve(make_comment(article=article, status="pending"))

    page = client.get("/articles/story/").content.decode()

    assert 'data-live-url="/api/v1/articles/story/comments/updates/"' in page
    assert 'data-live-since="1"' in page
    assert 'data-live-poll="15"' in page
    assert "js/live.js" in page


def test_the_shared_anonymous_page_names_no_reader_a_signed_in_one_names_its_own(article, client):
    reader = UserFactory()
    assert "data-live-user" not in client.get("/articles/story/").content.decode()

    client.force_login(reader)
    assert f'data-live-user="{reader.pk}"' in client.get("/articles/story/").content.decode()

    client.logout()
    assert "data-live-user" not in client.get("/articles/story/").content.decode()


# The announced comments' HTML


def test_live_comments_are_the_public_ones_of_that_article_only(article, client):
    shown = make_comment(article=article, body="Fresh and public")
    waiting = make_comment(article=article, body="Still pending", status="pending")
    elsewhere = make_comment(article=ArticleFactory(), body="Another story")

    response = client.get(f"/articles/story/comments/live/?ids={shown.pk},{waiting.pk},{elsewhere.pk}")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert f'id="comment-{shown.pk}"' in html and "Fresh and public" in html
    assert "Still pending" not in html and "Another story" not in html


def test_live_comments_of_an_ignored_commenter_are_hidden(article, client):
    reader, pest = UserFactory(), UserFactory()
    IgnoredCommenter.objects.create(user=reader, ignored=pest)
    comment = make_comment(article=article, author=pest, body="Noise")
    client.force_login(reader)

    html = client.get(f"/articles/story/comments/live/?ids={comment.pk}").content.decode()

    assert "Noise" not in html and "whom you ignore" in html


@pytest.mark.parametrize("ids", ["", "abc", "1,,2", "-1", "0", "1.5", "²", str(2**63), ",".join(["1"] * 51)])
def test_live_comments_refuse_bad_ids(article, client, ids):
    assert client.get(f"/articles/story/comments/live/?ids={ids}").status_code == 400


def test_live_comments_of_an_unknown_article_are_404(client):
    assert client.get("/articles/nope/comments/live/?ids=1").status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_live_comments_query_count_is_constant(article, client, count, django_assert_num_queries):
    ids = ",".join(str(make_comment(article=article).pk) for _ in range(count))
    client.get(f"/articles/story/comments/live/?ids={ids}")  # the article and settings cached

    with django_assert_num_queries(1):
        client.get(f"/articles/story/comments/live/?ids={ids}")


def test_a_page_from_before_redis_lost_its_count_is_told_to_reload(article, approve):
    approve(make_comment(article=article, status="pending"))
    approve(make_comment(article=article, status="pending"))  # the page was built at version 2
    caches["strict"].delete(f"live-version:{article.slug}")  # Redis restarted empty
    new = approve(make_comment(article=article, status="pending"))  # published after the restart

    answer = APIClient().get(f"{UPDATES}?since=2").json()

    assert answer["complete"] is False  # the page offers to reload
    assert (answer["count"], [c["id"] for c in answer["comments"]]) == (1, [new.pk])
    assert answer["version"] > 2


def test_a_page_from_before_redis_lost_its_count_is_told_to_reload_however_many_came_after(article, approve):
    approve(make_comment(article=article, status="pending"))  # the page was built at version 1
    caches["strict"].delete(f"live-version:{article.slug}")  # Redis restarted empty
    for _ in range(3):  # more than the page had seen
        approve(make_comment(article=article, status="pending"))

    answer = APIClient().get(f"{UPDATES}?since=1").json()

    assert (answer["count"], answer["complete"]) == (3, False)
