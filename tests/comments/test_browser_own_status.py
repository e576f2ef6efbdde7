"""One's own new comment in Chromium: its status shown live, findable on reload, permalinks focus."""

import pytest

from comments.models import Comment, CommentFlag
from moderation.services.decisions import decide_comment
from tests.conftest import log_in
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_classifier(settings):
    settings.MODERATION_TOXICITY_CHECK = False


def _post(page, body: str) -> Comment:
    page.get_by_label("Your comment").fill(body)
    page.get_by_role("button", name="Post comment").click()
    page.locator(".comment", has_text=body).wait_for()
    return Comment.objects.get(body=body)


def test_ones_own_comment_says_published_as_soon_as_a_moderator_approves_it(page):
    ArticleFactory(slug="story", premoderate_comments=True)
    UserFactory(username="alice")
    log_in(page, "alice")

    comment = _post(page, "Held for a moderator")
    mine = page.locator(f"#comment-{comment.pk}")
    mine.locator(".awaiting-label").wait_for()
    decide_comment(comment_id=comment.pk, moderator=moderator(), action="approve", version=comment.version)

    mine.get_by_role("status").filter(has_text="Your comment is published.").wait_for(timeout=15_000)
    assert mine.locator(".awaiting-label").count() == 0
    assert mine.get_by_role("link", name="Delete").is_visible()


def test_ones_own_rejected_comment_says_so_without_a_reload(page):
    ArticleFactory(slug="story", premoderate_comments=True)
    UserFactory(username="alice")
    log_in(page, "alice")

    comment = _post(page, "Held and then refused")
    decide_comment(
        comment_id=comment.pk, moderator=moderator(), action="reject", version=comment.version, reason="spam"
    )

    page.locator(f"#comment-{comment.pk} .not-published-label").wait_for(timeout=15_000)
    assert page.locator(f"#comment-{comment.pk} .awaiting-label").count() == 0


@pytest.mark.parametrize("held", [True, False], ids=["awaiting", "published"])
def test_a_new_comment_in_a_long_thread_under_oldest_keeps_edit_and_delete_and_survives_a_reload(
    page, settings, held
):
    settings.COMMENT_PAGE_SIZE = 2
    article = ArticleFactory(slug="story", premoderate_comments=held)
    for n in range(5):
        make_comment(article=article, body=f"Earlier comment {n}")
    UserFactory(username="alice")
    log_in(page, "alice")

    comment = _post(page, "My late word")
    mine = page.locator(f"#comment-{comment.pk}")
    assert mine.get_by_role("link", name="Delete").is_visible()
    assert mine.get_by_role("link", name="Edit").is_visible()
    assert f"comment={comment.pk}" in page.url

    page.reload()

    mine.wait_for()
    assert mine.get_by_role("link", name="Delete").is_visible()
    assert "My late word" in mine.inner_text()


def test_a_bare_comment_address_scrolls_to_the_comment_and_focuses_it(page, settings):
    settings.COMMENT_PAGE_SIZE = 50
    article = ArticleFactory(
        slug="story", paragraphs=[f"Paragraph {n} of a long story. " * 30 for n in range(20)]
    )
    comments = [make_comment(article=article, body=f"Comment number {n}") for n in range(30)]
    target = comments[25]

    page.goto(f"/articles/story/?comment={target.pk}")

    page.wait_for_function(f"document.activeElement && document.activeElement.id === 'c{target.pk}'")
    assert page.locator(f"#c{target.pk}").evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )


def test_report_asks_for_a_reason_opens_below_the_row_and_esc_closes_it(page):
    article = ArticleFactory(slug="story")
    comment = make_comment(article=article, body="Something to report")
    UserFactory(username="alice")
    log_in(page, "alice")
    item = page.locator(f"#comment-{comment.pk}")
    like = item.get_by_role("button", name="Like")

    def row() -> list[float]:  # Like's and Copy link's tops, from the comment's top
        return item.evaluate(
            "li => [li.querySelector('.like-form button'), li.querySelector('.copy-link')].map("
            "e => e.getBoundingClientRect().top - li.getBoundingClientRect().top)"
        )

    before = row()

    item.locator("summary", has_text="Report").click()
    reason = item.get_by_label("Reason")
    assert reason.input_value() == ""
    assert item.locator("option[value='']").inner_text() == "Choose a reason"
    item.get_by_role("button", name="Send report").click()
    assert not CommentFlag.objects.filter(comment=comment).exists()
    assert row() == before
    assert before[0] == before[1]
    assert like.is_visible()

    reason.focus()
    page.keyboard.press("Escape")
    assert not item.get_by_label("Reason").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Report"


def test_anonymous_readers_see_reply_and_like_asking_them_to_log_in(page):
    article = ArticleFactory(slug="story")
    comment = make_comment(article=article, body="Worth a like")
    page.goto("/articles/story/")

    item = page.locator(f"#comment-{comment.pk}")
    item.get_by_role("link", name="Reply (log in first)").click()

    page.wait_for_url("**/accounts/login/**")
    assert f"comment%3D{comment.pk}" in page.url or f"comment={comment.pk}" in page.url
    page.goto("/articles/story/")
    assert item.get_by_role("link", name="Like (log in first)").is_visible()
