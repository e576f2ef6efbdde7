"""The queue on a phone and after keyboard decisions (issue 30)."""

import pytest

from comments.models import AuditRecord
from tests.conftest import log_in
from tests.factories import ArticleFactory, ReviewItemFactory, moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_PATTERN = r"(?:kill|hurt|destroy)\s+(?:you|them|him|her|everyone|all\s+of\s+you)" * 12


def _held(article, n: int):
    item = ReviewItemFactory(article=article, body=f"Held comment {n} " + "words " * 80)
    AuditRecord.objects.create(
        comment=item.comment,
        actor_name="system:threat_words@1",
        action="moderation.comment.held",
        from_status="pending",
        to_status="in_review",
        reasons=[
            {
                "name": "threat_words",
                "kind": "threat",
                "verdict": "review",
                "score": 0.87,
                "explanation": f"matched {LONG_PATTERN}",
            },
            *[
                {"name": f"check_{k}", "verdict": "approve", "score": 0.01, "explanation": "fine"}
                for k in range(11)
            ],
        ],
        comment_version=item.comment.version,
    )
    return item


@pytest.mark.parametrize("width", [1280, 390])
def test_after_claiming_the_queue_fits_the_screen_and_shows_the_check_that_held_it(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    article = ArticleFactory(slug="story")
    for n in range(2):
        _held(article, n)
    moderator(username="mo")
    log_in(page, "mo", "/moderation/")

    page.get_by_role("button", name="Claim next").click()
    item = page.locator(".review-item").first
    item.wait_for()

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    held = item.locator(".held-by li")
    assert held.count() == 1
    assert (
        "threat_words" in held.inner_text() and "threat" in held.inner_text() and "0.87" in held.inner_text()
    )
    assert not item.get_by_role("cell", name="check_3").is_visible()
    item.locator("summary", has_text="All checks (12)").click()
    assert item.get_by_role("cell", name="check_3").is_visible()
    if width == 390:  # the decisions stay on screen while reading
        approve = item.get_by_role("button", name="Approve")
        box = approve.bounding_box()
        assert 0 <= box["y"] <= 800 - box["height"]


def test_keyboard_decisions_update_the_tab_count_and_the_held_heading(page):
    article = ArticleFactory(slug="story")
    for n in range(3):
        _held(article, n)
    moderator(username="mo")
    log_in(page, "mo", "/moderation/")
    page.get_by_role("button", name="Claim next").click()
    page.get_by_role("heading", name="Your items in premod (3)").wait_for()
    count = page.locator('.tab[data-queue="premod"] .tab-count')
    before = int(count.inner_text())

    page.locator(".review-item").first.focus()
    page.keyboard.press("a")
    page.get_by_role("heading", name="Your items in premod (2)").wait_for()
    page.keyboard.press("a")

    page.get_by_role("heading", name="Your items in premod (1)").wait_for()
    page.wait_for_function(
        f"document.querySelector('.tab[data-queue=premod] .tab-count').textContent == '{before - 2}'"
    )
