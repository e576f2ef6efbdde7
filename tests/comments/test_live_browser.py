"""Editors' picks and live threads in Chromium, with a real worker publishing the comments."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comments.models import Comment
from tests.conftest import log_in, wait_for
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _post(user, body: str, parent: Comment | None = None) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    data = {"body": body, **({"parent": parent.pk} if parent else {})}
    response = client.post("/api/v1/articles/story/comments/", data, format="json")
    assert response.status_code == 201
    comment_id = response.json()["id"]
    wait_for(
        lambda: Comment.objects.filter(pk=comment_id, status="approved").exists(),
        message="the worker to approve the comment",
    )
    return comment_id


def test_a_moderator_features_a_comment_and_readers_see_the_badge_and_the_tab(page, browser, live_server):
    article = ArticleFactory(slug="story")
    make_comment(article=article, body="An ordinary comment")
    make_comment(article=article, body="A comment worth featuring")
    make_comment(article=article, body="From the desk", author=UserFactory(is_staff=True))
    moderator(username="mod")
    log_in(page, "mod")

    chosen = page.locator(".comment", has_text="A comment worth featuring")
    chosen.get_by_role("button", name="Feature", exact=True).click()
    chosen.locator(".badge-featured", has_text="Featured").wait_for()
    assert chosen.get_by_role("button", name="Unfeature").is_visible()

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/articles/story/")
    reader.locator(".comment", has_text="A comment worth featuring").locator(".badge-featured").wait_for()
    assert reader.locator(".comment", has_text="From the desk").locator(".badge-staff").is_visible()
    reader.get_by_role("navigation", name="Sort comments").get_by_role("link", name="Featured").click()
    reader.locator(".comment", has_text="A comment worth featuring").wait_for()
    assert reader.locator(".comment-list > .comment").count() == 1
    reader.context.close()


def test_a_comment_published_while_the_page_is_open_is_announced_and_shown_on_request(
    page, celery_worker, settings
):
    settings.LIVE_POLL_SECONDS = 1
    article = ArticleFactory(
        slug="story", paragraphs=[f"Paragraph {n} of a long story." * 20 for n in range(30)]
    )
    make_comment(article=article, body="Already here")
    page.goto("/articles/story/")
    page.locator(".comment", has_text="Already here").scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")

    _post(UserFactory(), "Live from the worker")

    bar = page.locator(".live-bar")
    bar.get_by_text("1 new comment —").wait_for()
    assert bar.locator("[aria-live=polite]").count() == 1
    assert page.locator(".comment", has_text="Live from the worker").count() == 0
    assert page.evaluate("window.scrollY") == before

    bar.get_by_role("button", name="show").click()
    page.locator(".comment.live-new", has_text="Live from the worker").wait_for()
    assert not bar.get_by_role("button", name="show").is_visible()
    assert page.locator(".comment", has_text="Already here").is_visible()


def test_a_reply_to_my_comment_is_announced_as_one_and_shown_under_it(page, celery_worker, settings):
    settings.LIVE_POLL_SECONDS = 1
    article = ArticleFactory(slug="story")
    alice = UserFactory(username="alice")
    mine = make_comment(article=article, author=alice, body="My own comment")
    log_in(page, "alice")

    _post(UserFactory(), "A comment by someone else")
    _post(UserFactory(), "A reply to Alice", parent=mine)

    bar = page.locator(".live-bar")
    bar.get_by_text("2 new comments (1 reply to you) —").wait_for()
    bar.get_by_role("button", name="show").click()

    page.locator(f"#comment-{mine.pk} > ol.replies .comment", has_text="A reply to Alice").wait_for()
    page.locator(".comment-list > .comment", has_text="A comment by someone else").wait_for()
