"""The comment thread in Chromium: editing in place, where new comments go, delete, like, report."""

import re

import pytest

from comments.models import Comment
from config.celery import app
from tests.conftest import log_in, purge_queues
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _no_classifier(settings):
    settings.MODERATION_TOXICITY_CHECK = False


@pytest.fixture
def checks_wait(redis_client):
    """Comments stay pending: their checks are queued on the real broker, and no worker runs."""
    app.conf.task_always_eager = False
    yield
    purge_queues(redis_client)


def _thread():
    article = ArticleFactory(slug="story")
    alice = UserFactory(username="alice")
    first = make_comment(article=article, body="First in the thread")
    mine = make_comment(article=article, author=alice, body="The text as approved")
    last = make_comment(article=article, body="Last in the thread")
    return article, first, mine, last


def _order(page) -> list[str]:
    return page.locator("ol.comment-list > li").evaluate_all("items => items.map(i => i.id)")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_an_edit_is_made_in_place_and_waits_while_the_approved_text_stays(page, checks_wait, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    _, first, mine, last = _thread()
    log_in(page, "alice")
    page.evaluate("window.stillHere = true")
    order = _order(page)
    comment = page.locator(f"#comment-{mine.pk}")
    edit = comment.get_by_role("link", name=re.compile(r"Edit \([0-4]:\d\d left\)"))

    edit.click()
    comment.get_by_label("Edit your comment").fill("The text as edited")
    comment.get_by_role("button", name="Save").click()

    comment.get_by_text("Your edit is awaiting moderation").wait_for()
    assert comment.locator("article > .comment-body").first.inner_text() == "The text as approved"
    assert comment.locator(".pending-edit .comment-body").inner_text() == "The text as edited"
    assert _order(page) == order
    assert page.evaluate("window.stillHere") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert Comment.objects.get(pk=mine.pk).edit_status == "pending"


def test_after_a_reload_the_waiting_edit_keeps_its_place_and_readers_see_the_approved_text(
    page, browser, live_server, checks_wait
):
    _, _, mine, _ = _thread()
    log_in(page, "alice")
    comment = page.locator(f"#comment-{mine.pk}")
    comment.get_by_role("link", name=re.compile("Edit")).click()
    comment.get_by_label("Edit your comment").fill("The text as edited")
    comment.get_by_role("button", name="Save").click()
    comment.get_by_text("Your edit is awaiting moderation").wait_for()

    page.reload()
    anonymous = browser.new_context(base_url=live_server.url).new_page()
    anonymous.goto("/articles/story/")

    assert page.locator(f"#comment-{mine.pk} .pending-edit").inner_text().endswith("The text as edited")
    assert anonymous.locator(f"#comment-{mine.pk} .comment-body").inner_text() == "The text as approved"
    assert "The text as edited" not in anonymous.content()
    anonymous.context.close()


def test_the_edit_control_goes_when_the_edit_window_ends(page, settings):
    settings.COMMENT_EDIT_WINDOW_SECONDS = 4
    _, _, mine, _ = _thread()
    log_in(page, "alice")
    edit = page.locator(f"#comment-{mine.pk} .edit-link")
    edit.wait_for()

    edit.wait_for(state="detached", timeout=8000)

    assert page.locator(f"#comment-{mine.pk}").get_by_role("link", name="Delete").is_visible()


def test_without_javascript_edit_and_delete_open_their_own_pages(page_without_js):
    _, _, mine, _ = _thread()
    page = page_without_js
    log_in(page, "alice")
    comment = page.locator(f"#comment-{mine.pk}")

    comment.get_by_role("link", name=re.compile("Edit")).click()
    page.get_by_role("heading", name="Edit your comment").wait_for()
    page.go_back()
    comment.get_by_role("link", name="Delete").click()
    page.get_by_role("heading", name="Delete your comment?").wait_for()
    page.get_by_role("button", name="Delete").click()

    page.wait_for_url("**/articles/story/#comments")
    page.locator("#comments").get_by_role("status").filter(has_text="Your comment was deleted.").wait_for()
    assert page.locator(f"#comment-{mine.pk}").count() == 0
    assert Comment.objects.get(pk=mine.pk).status == "deleted"


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_delete_asks_in_place_and_says_the_result_at_the_comment(page, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    _, _, mine, _ = _thread()
    log_in(page, "alice")
    comment = page.locator(f"#comment-{mine.pk}")

    comment.get_by_role("link", name="Delete").click()
    comment.get_by_role("button", name="Cancel").click()
    assert Comment.objects.get(pk=mine.pk).status == "approved"
    comment.get_by_role("link", name="Delete").click()
    comment.get_by_role("group", name="Delete this comment?").get_by_role(
        "button", name="Yes, delete"
    ).click()

    comment.get_by_role("status").filter(has_text="Your comment was deleted.").wait_for()
    page.get_by_role("heading", name="Comments (2)").wait_for()
    assert Comment.objects.get(pk=mine.pk).status == "deleted"
    assert page.locator("ul.messages").count() == 0


def test_a_new_reply_appears_under_its_parent_and_the_counts_change_without_a_reload(page):
    _, first, _, _ = _thread()
    UserFactory(username="bob")
    log_in(page, "bob")
    page.evaluate("window.stillHere = true")
    parent = page.locator(f"#comment-{first.pk}")

    parent.locator("summary", has_text="Reply").click()
    parent.get_by_label("Your reply").fill("A reply to the first")
    parent.get_by_role("button", name="Post reply").click()

    parent.locator(":scope > ol.replies > li", has_text="A reply to the first").wait_for()
    page.get_by_role("heading", name="Comments (4)").wait_for()
    assert page.locator(".comment-count").inner_text() == "4 comments"
    assert page.evaluate("window.stillHere") is True


@pytest.mark.parametrize(("sort", "where"), [("oldest", -1), ("newest", 0)])
def test_a_comment_awaiting_moderation_goes_where_the_sort_puts_it(page, checks_wait, sort, where):
    _thread()
    UserFactory(username="bob")
    log_in(page, "bob", next_path=f"/articles/story/?sort={sort}")

    page.get_by_label("Your comment").fill("Mine, still pending")
    page.get_by_role("button", name="Post comment").click()
    page.locator(".comment.awaiting", has_text="Mine, still pending").wait_for()
    in_place = page.locator("ol.comment-list > li").nth(where).inner_text()
    page.reload()

    assert "Mine, still pending" in in_place
    assert "Mine, still pending" in page.locator("ol.comment-list > li").nth(where).inner_text()


def test_the_first_comment_prompt_goes_once_ones_own_first_comment_shows(page, checks_wait):
    ArticleFactory(slug="story")
    UserFactory(username="bob")
    log_in(page, "bob")
    page.get_by_text("Write the first comment for this!").wait_for()

    page.get_by_label("Your comment").fill("The very first")
    page.get_by_role("button", name="Post comment").click()

    page.locator(".comment", has_text="The very first").wait_for()
    assert page.get_by_text("Write the first comment for this!").count() == 0


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_like_shows_that_you_like_it_and_unlike_works_in_the_page(page, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    _, first, _, _ = _thread()
    log_in(page, "alice")
    comment = page.locator(f"#comment-{first.pk}")
    like = comment.get_by_role("button", name="Like")
    assert like.get_attribute("aria-pressed") == "false"

    like.click()
    comment.get_by_text("1 like").wait_for()
    assert like.get_attribute("aria-pressed") == "true"
    page.reload()
    assert comment.get_by_role("button", name="Like").get_attribute("aria-pressed") == "true"
    comment.get_by_role("button", name="Like").click()

    comment.get_by_text("0 likes").wait_for()
    assert comment.get_by_role("button", name="Like").get_attribute("aria-pressed") == "false"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_report_is_acknowledged_at_the_comment(page):
    _, first, _, _ = _thread()
    log_in(page, "alice")
    comment = page.locator(f"#comment-{first.pk}")

    comment.locator("summary", has_text="Report").click()
    comment.get_by_label("Reason").select_option("spam")
    comment.get_by_role("button", name="Send report").click()

    comment.get_by_role("status").filter(has_text="a moderator will look at this comment").wait_for()
    assert first.flags.count() == 1


def test_every_action_is_the_same_quiet_text_button(page):
    _, first, mine, _ = _thread()
    log_in(page, "alice")

    styles = page.locator(".comment-actions .action").evaluate_all(
        """items => items.filter(i => i.offsetParent).map(i => {
             const s = getComputedStyle(i);
             return [s.fontSize, s.backgroundColor, s.borderTopWidth].join(" ");
           })"""
    )
    names = page.locator(f"#comment-{first.pk} .comment-actions .action").all_inner_texts()

    assert len(set(styles)) == 1
    assert [n.strip() for n in names] == [
        "Like",
        "Report",
        "Ignore",
        "Reply",
        "Copy link",
        "Report illegal content",
    ]


def test_without_javascript_like_and_unlike_are_forms_that_show_their_state(page_without_js):
    _, first, _, _ = _thread()
    page = page_without_js
    log_in(page, "alice")
    comment = page.locator(f"#comment-{first.pk}")

    comment.get_by_role("button", name="Like").click()
    comment.get_by_text("1 like").wait_for()
    pressed = comment.get_by_role("button", name="Like").get_attribute("aria-pressed")
    comment.get_by_role("button", name="Like").click()
    comment.get_by_text("0 likes").wait_for()

    assert pressed == "true"
    assert comment.get_by_role("button", name="Like").get_attribute("aria-pressed") == "false"


def test_without_javascript_a_report_is_acknowledged_at_the_comment(page_without_js):
    _, first, _, _ = _thread()
    page = page_without_js
    log_in(page, "alice")
    comment = page.locator(f"#comment-{first.pk}")

    comment.locator("summary", has_text="Report").click()
    comment.get_by_label("Reason").select_option("spam")  # no reason is chosen for the reader
    comment.get_by_role("button", name="Send report").click()

    comment.get_by_role("status").filter(has_text="a moderator will look at this comment").wait_for()
    assert page.locator("ul.messages li").count() == 0
