import pytest

from comments.models import Comment
from moderation.models import ReviewItem
from tests.conftest import log_in
from tests.factories import ReviewItemFactory, UserFactory, make_comment, moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _held(article, body: str, author: str, age_minutes: int) -> Comment:
    return ReviewItemFactory(
        article=article,
        body=body,
        author=UserFactory(username=author),
        queue="premod",
        age_minutes=age_minutes,
    ).comment


def _log_in(page, username: str, next_url: str = "/moderation/") -> None:
    log_in(page, username, next_url)


def _claim_as_moderator(page):
    """Moderator `mo` logs in and claims the held items; returns mo."""
    user = moderator(username="mo")
    _log_in(page, "mo")
    page.get_by_role("button", name="Claim next 10").click()
    # The script marks the first held item once its keys are listening (before the claim there
    # are none, so this cannot match the page the click left).
    page.locator(".review-item.current").wait_for()
    return user


def test_moderator_approves_with_a_and_rejects_with_r_and_the_article_shows_only_the_first(page, article):
    good = _held(article, "A link worth reading", "ann", age_minutes=10)
    bad = _held(article, "Buy watches here", "spammer", age_minutes=5)

    _claim_as_moderator(page)
    page.locator(".review-item", has_text="A link worth reading").wait_for()
    page.evaluate("window.stillHere = true")

    page.keyboard.press("a")
    page.get_by_role("status").get_by_text("Approved the comment by ann.").wait_for()
    page.locator(".review-item", has_text="A link worth reading").wait_for(state="detached")

    page.keyboard.press("r")
    reason = page.locator(".review-item", has_text="Buy watches here").get_by_label("Reason to reject")
    assert reason.evaluate("el => el === document.activeElement")
    reason.select_option("spam")
    page.keyboard.press("Enter")
    page.get_by_role("status").get_by_text("Rejected the comment by spammer.").wait_for()

    assert page.evaluate("window.stillHere") is True
    assert Comment.objects.get(pk=good.pk).status == "approved"
    rejected = ReviewItem.objects.get(comment=bad)
    assert (rejected.decision, rejected.decision_reason) == ("reject", "spam")

    page.goto("/articles/story/")
    page.locator(".comment-body", has_text="A link worth reading").wait_for()
    assert page.locator(".comment-body", has_text="Buy watches here").count() == 0


def test_keys_move_select_and_show_help(page, article):
    first = _held(article, "First held", "ann", age_minutes=10)
    second = _held(article, "Second held", "bob", age_minutes=5)

    _claim_as_moderator(page)
    page.locator(".review-item.current", has_text="First held").wait_for()

    page.keyboard.press("j")
    page.locator(".review-item.current", has_text="Second held").wait_for()
    page.keyboard.press("x")
    page.keyboard.press("k")
    page.locator(".review-item.current", has_text="First held").wait_for()
    page.keyboard.press("?")

    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    help_dialog.wait_for()
    assert page.locator(f"#select-{ReviewItem.objects.get(comment=second).pk}").is_checked()
    assert not page.locator(f"#select-{ReviewItem.objects.get(comment=first).pk}").is_checked()
    page.keyboard.press("Escape")
    help_dialog.wait_for(state="hidden")


def test_undo_brings_the_item_back_in_place(page, article):
    comment = _held(article, "Approved too fast", "ann", age_minutes=10)

    _claim_as_moderator(page)
    page.keyboard.press("a")
    page.get_by_role("status").get_by_text("Approved the comment by ann.").wait_for()
    page.get_by_role("button", name="Undo my last decision").click()

    page.locator(".review-item", has_text="Approved too fast").wait_for()
    assert Comment.objects.get(pk=comment.pk).status == "in_review"


def test_a_conflict_is_shown_on_the_item(page, article):
    comment = _held(article, "Someone else decided", "ann", age_minutes=10)

    mo = _claim_as_moderator(page)
    from moderation import services

    services.decide(
        item_id=ReviewItem.objects.get(comment=comment).pk,
        version=1,
        moderator=mo,
        action="reject",
        reason="spam",
    )
    page.keyboard.press("a")

    page.locator(".review-item .item-error", has_text="This item was already decided.").wait_for()


def test_toolbar_rejects_a_comment_from_the_article_page(page, article):
    make_comment(article=article, body="Rude remark")
    make_comment(article=article, body="Kind remark")
    moderator(username="mo")

    _log_in(page, "mo", next_url="/articles/story/")
    rude = page.locator(".comment", has_text="Rude remark")
    rude.get_by_label("Reason to reject").select_option("abuse")
    rude.get_by_role("button", name="Reject").click()

    page.get_by_text("Rejected the comment by").wait_for()
    assert page.locator(".comment-body", has_text="Rude remark").count() == 0
    assert page.locator(".comment-body", has_text="Kind remark").count() == 1


def test_the_script_decides_through_the_moderation_api_at_the_address_the_page_gives(page, article):
    comment = _held(article, "A link worth reading", "ann", age_minutes=10)

    _claim_as_moderator(page)

    with page.expect_request(lambda r: r.method == "POST" and "/api/v1/moderation/" in r.url) as sent:
        page.keyboard.press("a")
    page.get_by_role("status").get_by_text("Approved the comment by ann.").wait_for()

    item = ReviewItem.objects.get(comment=comment)
    assert sent.value.url.endswith(f"/api/v1/moderation/items/{item.pk}/decision/")
    assert sent.value.post_data_json == {"action": "approve", "version": 1}
