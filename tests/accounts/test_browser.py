"""Each accounts journey in Chromium, mails read from the outbox of the in-process live server."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from accounts.selectors import account_data, is_verified
from comments.models import Comment
from moderation.models import Sanction
from tests.conftest import log_in
from tests.factories import ArticleFactory, UserFactory, make_comment

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _links_to_the_live_server(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.MODERATION_TOXICITY_CHECK = False


def _link(message, path: str) -> str:
    return re.search(rf"https?://\S+({re.escape(path)}\S*)", message.body).group(1)


def test_a_reader_resets_a_forgotten_password_through_the_email(page):
    UserFactory(username="alice")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_role("button", name="Send me the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    page.goto(_link(mail.outbox[0], "/accounts/reset/"))
    page.locator("#id_new_password1").fill("a brand new passphrase")
    page.locator("#id_new_password2").fill("a brand new passphrase")
    page.get_by_role("button", name="Save the new password").click()
    page.get_by_role("heading", name="Your password was changed").wait_for()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a brand new passphrase")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Signed in as").wait_for()


def test_a_new_reader_confirms_their_address_from_the_email(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Email").fill("carol@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("We sent a link to carol@example.com").wait_for()

    page.goto(_link(mail.outbox[0], "/accounts/verify/"))
    page.get_by_role("heading", name="Your address is confirmed").wait_for()

    page.goto("/accounts/me/")
    page.locator("#settings").get_by_text("Confirmed").wait_for()
    from django.contrib.auth import get_user_model

    assert is_verified(get_user_model().objects.get(username="carol"))


def test_a_reader_downloads_their_data_and_deletes_their_account(page):
    article = ArticleFactory(slug="story")
    alice = UserFactory(username="alice")
    top = make_comment(article=article, author=alice, body="Alice's first thought")
    make_comment(article=article, author=UserFactory(), parent=top, body="An answer to Alice")
    log_in(page, "alice", "/accounts/me/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["username"] == "alice"
    assert [c["body"] for c in data["comments"]] == ["Alice's first thought"]

    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account was deleted.").wait_for()

    page.goto("/articles/story/")
    page.locator(".comment", has_text="[deleted]").wait_for()
    page.locator(".replies .comment", has_text="An answer to Alice").wait_for()
    assert page.get_by_text("Alice's first thought").count() == 0
    assert page.get_by_role("link", name="Log in to comment").count() == 1  # signed out


def test_a_reply_is_mailed_and_its_unsubscribe_link_works_in_one_click(page):
    article = ArticleFactory(slug="story")
    make_comment(article=article, author=UserFactory(username="alice"), body="What do you think?")
    UserFactory(username="bob")
    log_in(page, "bob")

    comment = page.locator(".comment", has_text="What do you think?")
    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Your reply").fill("I think it is right.")
    comment.get_by_role("button", name="Post reply").click()
    page.locator(".replies .comment", has_text="I think it is right.").wait_for()

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "I think it is right." in mail.outbox[0].body
    page.goto(_link(mail.outbox[0], "/accounts/unsubscribe/"))
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    from django.contrib.auth import get_user_model

    assert account_data(get_user_model().objects.get(username="alice"))["notifications"]["reply"] is False


def test_a_reader_ignores_a_commenter_and_undoes_it_from_their_page(page):
    article = ArticleFactory(slug="story")
    make_comment(article=article, author=UserFactory(username="bob"), body="Bob says loud things")
    make_comment(article=article, body="Someone else speaks")
    UserFactory(username="alice")
    log_in(page, "alice")

    page.locator(".comment", has_text="Bob says loud things").get_by_role("button", name="Ignore").click()
    page.get_by_text("A comment by bob, whom you ignore.").wait_for()
    assert page.get_by_text("Bob says loud things").count() == 0
    assert page.get_by_text("Someone else speaks").count() == 1

    page.goto("/accounts/me/#ignored")
    page.get_by_role("button", name="Show their comments again").click()
    page.goto("/articles/story/")
    page.get_by_text("Bob says loud things").wait_for()


def test_the_author_sees_their_rejected_comment_in_place_and_in_their_history(page):
    article = ArticleFactory(slug="story")
    alice = UserFactory(username="alice")
    make_comment(
        article=article, author=alice, body="Buy cheap watches", status="rejected",
        rejection_reason="it is spam or advertising",
    )  # fmt: skip
    log_in(page, "alice")

    rejected = page.locator(".comment.not-published", has_text="Buy cheap watches")
    rejected.get_by_text("Not published: it is spam or advertising.").wait_for()

    page.goto("/accounts/me/")
    mine = page.locator(".my-comment", has_text="Buy cheap watches")
    assert mine.locator(".my-status").inner_text() == "Not published"
    assert "it is spam or advertising" in mine.inner_text()


def test_a_suspended_commenter_sees_why_and_until_when_and_no_comment_box(page):
    article = ArticleFactory(slug="story")
    make_comment(article=article, body="A comment to reply to")
    alice = UserFactory(username="alice")
    until = timezone.now() + timedelta(days=3)
    Sanction.objects.create(user=alice, kind="suspend", until=until, reason="Repeated personal attacks")
    log_in(page, "alice")

    notice = page.locator(".sanction-notice")
    notice.wait_for()
    assert f"until {timezone.localtime(until):%d %B %Y}" in notice.inner_text()
    assert "Reason: Repeated personal attacks." in notice.inner_text()
    assert page.locator("textarea[name=body]").count() == 0
    assert page.get_by_text("Reply", exact=True).count() == 0
    assert Comment.objects.count() == 1
