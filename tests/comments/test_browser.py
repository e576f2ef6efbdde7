import pytest

from tests.conftest import log_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_logs_in_posts_and_replies(page):
    ArticleFactory(slug="story")
    UserFactory(username="alice")

    log_in(page, "alice")
    page.get_by_label("Your comment").fill("My first comment")
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator(".comment", has_text="My first comment")
    comment.wait_for()
    page.get_by_role("heading", name="Comments (1)").wait_for()

    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Your reply").fill("Replying to myself")
    comment.get_by_role("button", name="Post reply").click()

    page.locator(".replies .comment", has_text="Replying to myself").wait_for()


def test_markup_in_a_comment_is_shown_as_text_and_runs_nothing(page):
    ArticleFactory(slug="story")
    UserFactory(username="alice")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    log_in(page, "alice")
    for body in ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"]:
        page.get_by_label("Your comment").fill(body)
        page.get_by_role("button", name="Post comment").click()
        page.locator(".comment-body", has_text=body).wait_for()

    page.reload()
    assert dialogs == []
    assert page.locator(".comment-body img").count() == 0
    assert page.locator(".comment-body script").count() == 0


def test_with_javascript_posting_liking_and_load_more_happen_in_place(page, settings):
    from tests.factories import make_comment

    settings.COMMENT_PAGE_SIZE = 2
    article = ArticleFactory(slug="story")
    for n in range(3):
        make_comment(article=article, body=f"Older comment {n}")
    UserFactory(username="alice")
    log_in(page, "alice")
    page.evaluate("window.stillHere = true")

    page.get_by_label("Your comment").fill("Posted in place")
    page.get_by_role("button", name="Post comment").click()
    page.locator(".comment", has_text="Posted in place").wait_for()

    first = page.locator(".comment", has_text="Older comment 0")
    first.get_by_role("button", name="Like").click()
    first.get_by_text("1 like").wait_for()

    page.get_by_role("link", name="Load more comments").click()
    page.locator(".comment", has_text="Older comment 2").wait_for()

    assert page.evaluate("window.stillHere") is True


def _long_thread(replies: int):
    from tests.comments.test_replies import _replies
    from tests.factories import make_comment

    article = ArticleFactory(slug="story")
    top = make_comment(article=article, body="The top comment")
    _replies(top, replies)
    return top


def test_show_more_replies_adds_the_next_page_under_the_comment(page, settings):
    settings.COMMENT_PAGE_SIZE = 4
    top = _long_thread(10)
    page.goto("/articles/story/")
    thread = page.locator(f"#comment-{top.pk}")

    thread.get_by_role("link", name="Show 7 more replies").click()
    thread.get_by_role("link", name="Show 3 more replies").click()

    thread.get_by_text("Reply number 9").wait_for()
    assert page.url.endswith("/articles/story/")
    assert thread.locator(":scope > ol.replies > li").count() == 10
    assert thread.locator("a.more-replies").count() == 0


def test_show_more_replies_without_javascript_opens_the_replies_page(browser, live_server, settings):
    settings.COMMENT_PAGE_SIZE = 4
    top = _long_thread(10)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/articles/story/")
        page.get_by_role("link", name="Show 7 more replies").click()
        page.get_by_text("Reply number 3").wait_for()
        page.get_by_role("link", name="Show 3 more replies").click()

        page.get_by_text("Reply number 9").wait_for()
        assert f"/comments/{top.pk}/replies/" in page.url
    finally:
        context.close()
