"""The Act's forms in Chromium: a notice from beside a comment (without JavaScript), the reader's
statements of reasons on their page, and the appeal form."""

import pytest
from django.core import mail
from django.test import TestCase

from dsa.models import Appeal, Notice, Statement
from moderation.models import ReviewItem
from tests.conftest import log_in
from tests.factories import ArticleFactory, UserFactory, make_comment, post_checked

from .conftest import decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _links_to_the_live_server(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.MODERATION_TOXICITY_CHECK = False


@pytest.fixture
def story():
    return ArticleFactory(slug="story", headline="The big story")


def test_a_reader_reports_illegal_content_from_beside_the_comment_without_javascript(
    page_without_js, story, redis_client
):
    comment = make_comment(article=story, body="The mayor took bribes, I saw it myself.")
    page = page_without_js

    page.goto("/articles/story/")
    page.locator(f"#c{comment.pk}").get_by_role("link", name="Report illegal content").click()
    page.get_by_label("Defamation").check()
    page.get_by_label("Why is it illegal?").fill("It accuses the mayor of a crime he was cleared of.")
    page.get_by_label("Your email").fill("mayor@example.com")
    page.get_by_role("button", name="Send the notice").click()
    page.get_by_text("Confirm that you believe the notice to be accurate and complete.").wait_for()
    assert not Notice.objects.exists()
    page.get_by_label("I believe the information in this notice is accurate and complete.").check()
    page.get_by_role("button", name="Send the notice").click()
    page.get_by_role("heading", name="Thank you: we received your notice").wait_for()

    notice = Notice.objects.get()
    assert (notice.category, notice.email) == ("defamation", "mayor@example.com")
    assert notice.explanation == "It accuses the mayor of a crime he was cleared of."
    assert ReviewItem.objects.get(comment=comment).queue == "notices"
    assert [m.to for m in mail.outbox] == [["mayor@example.com"]]


def test_a_reader_reads_why_their_comment_was_removed_and_appeals(page, story, redis_client):
    writer = UserFactory(username="writer")
    held = post_checked(
        story, writer, "Deals here: https://example.com/deal", TestCase.captureOnCommitCallbacks
    )
    decide(held, moderator=UserFactory(username="mod", groups=["Moderators"]), action="reject", reason="spam")
    statement = Statement.objects.get()

    log_in(page, "writer", next_path="/accounts/me/")
    entry = page.locator(f"#statement-{statement.pk}")
    entry.get_by_text("Your comment was removed").wait_for()
    assert "A moderator decided that it is spam or advertising." in entry.inner_text()
    assert "Decided by a person" in entry.inner_text()
    entry.get_by_label("Appeal this decision").fill("It links to my own blog post about the story.")
    entry.get_by_role("button", name="Send the appeal").click()
    page.get_by_text("Your appeal was sent.").wait_for()

    assert Appeal.objects.get().text == "It links to my own blog post about the story."
    assert ReviewItem.objects.get(comment=held, decided_at__isnull=True).queue == "appeals"
    assert "a moderator will answer you" in page.locator(f"#statement-{statement.pk}").inner_text()


def test_the_clause_a_statement_cites_opens_on_the_guidelines_page(page, story, redis_client):
    writer = UserFactory(username="writer")
    rude = make_comment(article=story, author=writer, status="in_review", body="You absolute clown.")
    ReviewItem.objects.create(comment=rude, queue="premod", reason="insult")
    decide(
        rude, moderator=UserFactory(username="mod", groups=["Moderators"]), action="reject", reason="abuse"
    )

    log_in(page, "writer", next_path="/accounts/me/")
    page.get_by_role("link", name="clause 1: Be civil").click()

    page.wait_for_url("**/guidelines/v1/#civility")
    assert page.locator("#civility").is_visible()
    assert (
        page.locator("#civility").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    )
