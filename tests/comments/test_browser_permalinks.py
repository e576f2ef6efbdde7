"""Permalinks, dates, the character counter, posting limits, "Load more" and the favicon, in Chromium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.comments.test_replies import _replies
from tests.conftest import log_in
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _no_classifier(settings):
    settings.MODERATION_TOXICITY_CHECK = False


def _in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_a_permalink_opens_the_page_at_a_comment_on_page_7_highlighted(page, settings, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    settings.COMMENT_PAGE_SIZE = 2
    article = ArticleFactory(slug="story")
    comments = [make_comment(article=article, body=f"Comment number {n}") for n in range(14)]
    target = comments[12]  # the first of page 7

    page.goto(f"/articles/story/?comment={target.pk}#c{target.pk}")

    page.locator(f"#c{target.pk}.highlighted").wait_for()
    assert _in_view(page, f"#c{target.pk}")
    assert page.locator(".comment-body").all_inner_texts() == ["Comment number 12", "Comment number 13"]
    page.get_by_role("link", name="Show the first comments").wait_for()


def test_a_permalink_opens_a_reply_deep_in_a_chain_beyond_those_shown(browser, live_server, settings):
    settings.COMMENT_REPLIES_SHOWN = 2
    article = ArticleFactory(slug="story")
    top = make_comment(article=article, body="The top comment")
    _replies(top, 6)
    hidden = Comment.objects.filter(parent=top).order_by("id")[4]
    deep = make_comment(article=article, parent=hidden, body="Deep in the chain")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()

    page.goto(f"/articles/story/?comment={deep.pk}#c{deep.pk}")

    chain = page.locator(f"#comment-{top.pk} #comment-{hidden.pk} #comment-{deep.pk}")
    assert chain.locator(f"#c{deep.pk}.highlighted").inner_text().count("Deep in the chain")
    assert _in_view(page, f"#c{deep.pk}")
    assert page.locator(f"#comment-{top.pk}").get_by_role("link", name="Show 3 more replies").count() == 1
    context.close()


def test_copy_link_puts_the_permalink_on_the_clipboard(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    article = ArticleFactory(slug="story")
    comment = make_comment(article=article, body="Worth sharing")
    page.goto("/articles/story/")

    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Copy link").click()

    page.locator(f"#comment-{comment.pk}").get_by_role("status").filter(has_text="Link copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/articles/story/?comment={comment.pk}#c{comment.pk}"


def test_dates_read_as_time_ago_with_the_exact_time_on_hover_and_the_count_links_to_comments(page):
    article = ArticleFactory(slug="story")
    comment = make_comment(article=article, body="Five minutes old")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=5, seconds=3))

    page.goto("/articles/story/")
    time = page.locator(f"#comment-{comment.pk} time")

    assert time.inner_text() == "5 minutes ago"
    assert re.fullmatch(r"\d{1,2} \w+ 20\d\d, \d\d:\d\d \w+", time.get_attribute("title"))
    assert time.get_attribute("datetime").startswith(str(timezone.now().year))
    page.get_by_role("link", name="1 comment").click()
    page.wait_for_url("**/articles/story/#comments")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_the_counter_counts_down_and_a_text_over_the_limit_is_refused_and_kept(page, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    ArticleFactory(slug="story")
    UserFactory(username="alice")
    log_in(page, "alice")
    box = page.get_by_label("Your comment")

    box.fill("x" * 10)
    page.get_by_text("4,990 characters left").wait_for()
    box.fill("x" * 5001)
    page.get_by_text("1 character too many").wait_for()
    page.get_by_role("button", name="Post comment").click()

    assert len(box.input_value()) == 5001
    assert not Comment.objects.exists()


def test_without_javascript_a_text_over_the_limit_comes_back_with_the_reason(browser, live_server):
    ArticleFactory(slug="story")
    UserFactory(username="alice")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "alice")

    page.get_by_label("Your comment").fill("y" * 5200)
    page.get_by_role("button", name="Post comment").click()

    page.get_by_role("heading", name="Your comment was not posted").wait_for()
    assert "5,200 characters long; the limit is 5,000" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Your comment").input_value() == "y" * 5200
    assert not Comment.objects.exists()
    context.close()


def test_a_signed_in_reader_is_held_by_their_own_limit_not_their_neighbours(
    browser, live_server, settings, redis_client
):
    settings.COMMENT_RATE_LIMIT, settings.COMMENT_IP_RATE_LIMIT = 1, 10
    article = ArticleFactory(slug="story")
    for name in ["alice", "bob"]:
        UserFactory(username=name)
    pages = {}
    for name in ["alice", "bob"]:
        pages[name] = browser.new_context(base_url=live_server.url).new_page()
        log_in(pages[name], name)

    for name in ["alice", "bob"]:
        pages[name].get_by_label("Your comment").fill(f"Hello from {name}")
        pages[name].get_by_role("button", name="Post comment").click()
        pages[name].locator(".comment", has_text=f"Hello from {name}").wait_for()
    pages["alice"].get_by_label("Your comment").fill("Again from alice")
    pages["alice"].get_by_role("button", name="Post comment").click()

    pages["alice"].get_by_text(re.compile("You are posting too fast")).wait_for()
    assert article.comments.count() == 2
    for page in pages.values():
        page.context.close()


def test_after_load_more_focus_goes_to_the_first_new_comment(page, settings):
    settings.COMMENT_PAGE_SIZE = 2
    article = ArticleFactory(slug="story")
    comments = [make_comment(article=article, body=f"Comment number {n}") for n in range(3)]
    page.goto("/articles/story/")

    page.get_by_role("link", name="Load more comments").focus()
    page.keyboard.press("Enter")

    page.locator(f"#comment-{comments[2].pk}").wait_for()
    page.wait_for_function(f"document.activeElement.id === 'c{comments[2].pk}'")


def test_pages_load_without_console_errors_or_missing_files(page):
    article = ArticleFactory(slug="story")
    make_comment(article=article)
    errors, missing = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("response", lambda response: response.status >= 400 and missing.append(response.url))

    page.goto("/articles/story/")
    page.goto("/")
    page.wait_for_load_state("networkidle")

    assert errors == []
    assert missing == []
    assert page.locator("link[rel=icon]").get_attribute("href").endswith(".svg")
