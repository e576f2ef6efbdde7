import pytest

from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, username):
    page.goto("/accounts/login/?next=/articles/story/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


def test_reader_logs_in_posts_and_replies(page):
    ArticleFactory(slug="story")
    UserFactory(username="alice")

    _log_in(page, "alice")
    page.get_by_label("Your comment").fill("My first comment")
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator(".comment", has_text="My first comment")
    assert comment.is_visible()
    assert page.get_by_role("heading", name="Comments (1)").is_visible()

    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Your reply").fill("Replying to myself")
    comment.get_by_role("button", name="Post reply").click()

    assert page.locator(".replies .comment", has_text="Replying to myself").is_visible()


def test_markup_in_a_comment_is_shown_as_text_and_runs_nothing(page):
    ArticleFactory(slug="story")
    UserFactory(username="alice")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    _log_in(page, "alice")
    for body in ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"]:
        page.get_by_label("Your comment").fill(body)
        page.get_by_role("button", name="Post comment").click()
        assert page.locator(".comment-body", has_text=body).is_visible()

    page.reload()
    assert dialogs == []
    assert page.locator(".comment-body img").count() == 0
    assert page.locator(".comment-body script").count() == 0
