"""A moderator in Chromium never approves text they did not see."""

import pytest

from comments.models import Comment
from comments.services import edit_comment
from moderation.models import ReviewItem
from tests.factories import ArticleFactory, UserFactory, make_comment
from tests.moderation.test_browser import _claim_as_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_old_decision_is_refused_and_the_new_text_is_shown_marked(page):
    article = ArticleFactory(slug="story")
    comment = make_comment(
        article=article,
        body="Read https://example.com/a",
        status="in_review",
        author=UserFactory(username="ann"),
    )
    ReviewItem.objects.create(comment=comment, queue="premod", reason="links")

    _claim_as_moderator(page)
    page.locator(".review-item", has_text="Read https://example.com/a").wait_for()
    edit_comment(comment=comment, user=comment.author, body="Buy pills at scam.example")

    page.keyboard.press("a")

    item = page.locator(".review-item", has_text="Buy pills at scam.example")
    item.locator(".item-changed").wait_for()
    assert "changed since you saw version 1" in item.locator(".item-error").inner_text()
    assert "Read https://example.com/a" in item.locator(".item-revisions").inner_text(timeout=2000)
    assert Comment.objects.get(pk=comment.pk).status == "in_review"

    page.keyboard.press("a")

    page.get_by_role("status").get_by_text("Approved the comment by ann.").wait_for()
    decided = Comment.objects.get(pk=comment.pk)
    assert (decided.status, decided.body) == ("approved", "Buy pills at scam.example")
    assert decided.audit_records.latest("id").comment_version == 2
