"""Long threads: the first replies under each comment, the rest a page at a time by cursor."""

import re

import pytest

from comments.models import Comment
from comments.rendering import render_body
from comments.visibility import DELETED_TEXT
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db


def _replies(parent: Comment, count: int, *, status: str = "approved") -> Comment:
    """`count` replies to `parent` in `status`; returns the parent."""
    writer = UserFactory()
    Comment.objects.bulk_create(
        Comment(
            article_id=parent.article_id,
            author=writer,
            parent=parent,
            depth=parent.depth + 1,
            body=f"Reply number {n}",
            body_html=render_body(f"Reply number {n}"),
            status=status,
        )
        for n in range(count)
    )
    return parent


def _first_in_thread(client) -> dict:
    """The thread's first top-level comment, as the API gives it."""
    return client.get("/api/v1/articles/story/comments/").json()["results"][0]


def _bodies(items: list[dict]) -> list[str]:
    return [item["body"] for item in items]


def test_thread_shows_the_first_three_replies_and_counts_the_rest(client, article):
    _replies(make_comment(article=article), 5)

    item = _first_in_thread(client)

    assert _bodies(item["replies"]) == ["Reply number 0", "Reply number 1", "Reply number 2"]
    assert item["reply_count"] == 5
    assert item["more_replies"] == 2


def test_replies_shown_come_from_settings(client, article, settings):
    settings.COMMENT_REPLIES_SHOWN = 1
    _replies(make_comment(article=article), 5)

    item = _first_in_thread(client)

    assert _bodies(item["replies"]) == ["Reply number 0"]
    assert item["more_replies"] == 4


def test_replies_api_pages_through_the_rest_by_cursor(client, article, settings):
    settings.COMMENT_PAGE_SIZE = 4
    top = _replies(make_comment(article=article), 10)
    item = _first_in_thread(client)

    url = f"/api/v1/comments/{top.pk}/replies/?cursor={item['replies_cursor']}"
    seen = []
    while url:
        page = client.get(url).json()
        seen += _bodies(page["results"])
        url = page["next"]

    assert seen == [f"Reply number {n}" for n in range(3, 10)]


def test_replies_api_without_a_cursor_starts_at_the_first_reply(client, article):
    top = _replies(make_comment(article=article), 2)

    page = client.get(f"/api/v1/comments/{top.pk}/replies/").json()

    assert _bodies(page["results"]) == ["Reply number 0", "Reply number 1"]
    assert page["next"] is None


def test_replies_api_leaves_out_replies_awaiting_moderation(client, article):
    top = _replies(make_comment(article=article), 2, status="pending")

    assert client.get(f"/api/v1/comments/{top.pk}/replies/").json()["results"] == []


def test_replies_api_answers_400_to_a_made_up_cursor(client, article):
    top = make_comment(article=article)

    response = client.get(f"/api/v1/comments/{top.pk}/replies/?cursor=nonsense")

    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_replies_api_answers_404_for_a_comment_readers_cannot_see(client, article):
    hidden = make_comment(article=article, status="rejected")

    assert client.get(f"/api/v1/comments/{hidden.pk}/replies/").status_code == 404
    assert client.get("/api/v1/comments/999999/replies/").status_code == 404


def test_a_reply_under_a_reply_is_nested_with_its_own_first_replies(client, article):
    top = make_comment(article=article)
    reply = make_comment(article=article, parent=top, body="The reply")
    _replies(reply, 4)

    item = _first_in_thread(client)

    nested = item["replies"][0]
    assert _bodies(nested["replies"]) == ["Reply number 0", "Reply number 1", "Reply number 2"]
    assert nested["more_replies"] == 1


def test_deleted_reply_stays_as_a_placeholder_only_while_it_holds_replies(client, article):
    top = make_comment(article=article)
    holding = make_comment(article=article, parent=top, status="deleted", body="gone")
    make_comment(article=article, parent=holding, body="Still here")
    make_comment(article=article, parent=top, status="deleted", body="gone without replies")

    item = _first_in_thread(client)

    assert _bodies(item["replies"]) == [DELETED_TEXT]
    assert _bodies(item["replies"][0]["replies"]) == ["Still here"]
    assert item["reply_count"] == 1


def test_a_comment_with_2000_replies_makes_the_page_no_heavier_than_one_with_3(client):
    few, many = ArticleFactory(slug="few"), ArticleFactory(slug="many")
    _replies(make_comment(article=few, body="Top"), 3)
    _replies(make_comment(article=many, body="Top"), 2000)

    light = client.get("/articles/few/").content
    heavy = client.get("/articles/many/").content

    assert len(heavy) - len(light) < 300  # the "Show 1,997 more replies" link and longer ids
    assert b"Show 1997 more replies" in heavy


def test_reader_without_javascript_pages_through_replies(client, article, settings):
    settings.COMMENT_PAGE_SIZE = 4
    _replies(make_comment(article=article), 10)

    link = re.search(
        r'<a class="more-replies" href="([^"]+)">Show 7 more replies',
        client.get("/articles/story/").content.decode(),
    )
    seen = []
    url = link.group(1).replace("&amp;", "&")
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r"Reply number \d+", page)
        found = re.search(r'<a class="more-replies" href="([^"]+)">Show (\d+) more', page)
        url = found.group(1).replace("&amp;", "&") if found else None

    assert seen == [f"Reply number {n}" for n in range(3, 10)]


def test_replies_page_says_how_many_follow(client, article, settings):
    settings.COMMENT_PAGE_SIZE = 4
    top = _replies(make_comment(article=article), 10)

    page = client.get(f"/comments/{top.pk}/replies/").content.decode()

    assert "Show 6 more replies" in page
    assert f'href="/articles/story/?comment={top.pk}#c{top.pk}"' in page


def test_replies_page_is_cached_for_anonymous_readers(client, article, django_assert_num_queries):
    top = _replies(make_comment(article=article), 2)
    url = f"/comments/{top.pk}/replies/"
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response["Cache-Control"].startswith("public")
    assert "Reply number 1" in response.content.decode()


def test_new_approved_reply_reaches_the_cached_replies_page(
    client, article, django_capture_on_commit_callbacks
):
    from comments import services

    top = make_comment(article=article)
    url = f"/comments/{top.pk}/replies/"
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_comment(
            article=article, author=UserFactory(), body="A late reply", parent_id=top.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(
            comment_id=reply.pk,
            to_status="approved",
            actor_name="system",
            action="moderation.comment.approved",
        )

    assert "A late reply" in client.get(url).content.decode()
