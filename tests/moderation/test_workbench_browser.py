"""The review queue in Chromium: claiming with c in place, escalation notes, keys that wait while
typing, no default reasons, search, reversing a decision, live tab counts, phone widths."""

import pytest

from comments.models import AuditRecord, Comment
from moderation import services
from moderation.models import ReviewItem
from tests.conftest import log_in
from tests.factories import ReviewItemFactory, UserFactory, make_comment, moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _held(article, body: str, author: str, *, queue_name="premod", age_minutes=5) -> Comment:
    return ReviewItemFactory(
        article=article,
        body=body,
        author=UserFactory(username=author),
        queue=queue_name,
        age_minutes=age_minutes,
    ).comment


def _log_in(page, username: str = "mo", next_url: str = "/moderation/") -> None:
    log_in(page, username, next_url)


def test_c_claims_in_place_and_the_page_stays_where_it_was(page, article):
    for n in range(4):
        _held(
            article,
            f"Held comment {n} " + "with quite a lot of words " * 30,
            f"author{n}",
            age_minutes=10 - n,
        )
    moderator(username="mo")
    page.set_viewport_size({"width": 1000, "height": 500})
    _log_in(page)
    page.evaluate("window.stillHere = true")
    page.evaluate("window.scrollTo(0, 150)")
    before = page.evaluate("window.scrollY")
    assert before > 0

    page.keyboard.press("c")
    page.locator(".review-item.current").wait_for()

    assert page.evaluate("window.stillHere") is True
    assert page.evaluate("window.scrollY") == before
    assert page.locator(".review-item").count() == 4
    assert ReviewItem.objects.filter(claimed_by__username="mo").count() == 4


def test_question_mark_lists_every_shortcut_including_claim(page, article):
    moderator(username="mo")
    _log_in(page)

    page.keyboard.press("?")

    listed = set(page.get_by_role("dialog", name="Keyboard shortcuts").locator("dt kbd").all_inner_texts())
    on_buttons = set(
        page.locator("[aria-keyshortcuts]").evaluate_all("els => els.map(e => e.ariaKeyShortcuts)")
    )

    assert {"c", "j", "k", "a", "r", "e", "x", "u", "?", "Esc"} <= listed
    assert on_buttons <= listed


def test_e_asks_for_the_note_first_and_typing_it_fires_no_shortcut(page, article):
    comment = _held(article, "Is this legal?", "ann")
    moderator(username="mo")
    _log_in(page)
    page.keyboard.press("c")
    page.locator(".review-item.current").wait_for()

    page.keyboard.press("e")
    note = page.get_by_label("Note for senior moderators")
    assert note.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.get_by_text("Write the note for senior moderators first.").wait_for()
    page.keyboard.type("a lawyer should read this, r u sure")
    assert ReviewItem.objects.get(comment=comment).decided_at is None
    page.keyboard.press("Enter")
    page.get_by_role("status").get_by_text("Escalated the comment by ann.").wait_for()

    escalated = ReviewItem.objects.get(comment=comment, decision="escalate")
    assert escalated.decision_note == "a lawyer should read this, r u sure"
    assert Comment.objects.get(pk=comment.pk).status == "in_review"


def test_bulk_approval_happens_in_place(page, article):
    first = _held(article, "First held", "ann", age_minutes=10)
    second = _held(article, "Second held", "bob", age_minutes=5)
    moderator(username="mo")
    _log_in(page)
    page.keyboard.press("c")
    page.locator(".review-item.current").wait_for()
    page.evaluate("window.stillHere = true")

    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.get_by_role("button", name="Approve selected").click()
    page.get_by_role("status").get_by_text("2 items decided.").wait_for()

    assert page.evaluate("window.stillHere") is True
    assert set(Comment.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        "approved"
    }


def test_the_toolbar_and_the_sanction_form_have_no_default_choice(page, article):
    make_comment(article=article, body="Published remark", author=UserFactory(username="ann"))
    moderator(username="mo")
    _log_in(page, next_url="/articles/story/")

    remark = page.locator(".comment", has_text="Published remark")
    assert remark.get_by_label("Reason to reject").input_value() == ""
    remark.get_by_role("button", name="Reject").click()
    assert Comment.objects.get(body="Published remark").status == "approved"

    page.goto(f"/moderation/users/{Comment.objects.get().author_id}/")
    assert page.get_by_label("Sanction", exact=True).input_value() == ""
    page.get_by_label("Reason for the sanction").fill("Spamming")
    page.get_by_role("button", name="Apply sanction").click()
    assert not Comment.objects.get().author.sanctions.exists()


def test_moderators_search_by_username_and_by_text(page, article):
    _held(article, "The moon landing was staged", "conspiracist")
    moderator(username="mo")
    _log_in(page)

    page.get_by_label("Search users and comments").fill("conspir")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="conspiracist").first.wait_for()

    page.get_by_label("Search users and comments").fill("moon landing")
    page.get_by_role("button", name="Search").click()
    page.locator(".search-comments", has_text="The moon landing was staged").wait_for()
    page.get_by_role("link", name="open item").click()
    page.get_by_role("heading", name="Review item").wait_for()


def test_moderate_this_story_opens_everything_waiting_on_it(page, article):
    _held(article, "Waiting in premod", "ann")
    _held(article, "Waiting as reported", "bob", queue_name="reported")
    moderator(username="mo")
    _log_in(page, next_url="/articles/story/")

    page.get_by_role("link", name="Moderate this story").click()

    page.locator(".review-item", has_text="Waiting in premod").wait_for()
    assert page.locator(".review-item", has_text="Waiting as reported").count() == 1


def test_a_moderator_reverses_an_approval_from_the_approved_tab(page, article):
    comment = _held(article, "Slipped through", "ann")
    mo = moderator(username="mo")
    services.decide(item_id=ReviewItem.objects.get().pk, moderator=mo, action="approve", version=1)
    _log_in(page)

    page.get_by_role("link", name="Approved").click()
    entry = page.locator(".decided-item", has_text="Slipped through")
    entry.get_by_label("Reason to reject").select_option("abuse")
    entry.get_by_role("button", name="Reverse: reject it").click()
    page.get_by_role("status").get_by_text("Reversed: the comment by ann is now rejected.").wait_for()

    assert Comment.objects.get(pk=comment.pk).status == "rejected"
    record = AuditRecord.objects.filter(comment=comment).latest("id")
    assert (record.actor_name, record.action) == ("mo", "moderation.comment.rejected")


def test_tab_counts_follow_new_items_while_the_page_is_open(page, article, settings):
    settings.MODERATION_POLL_SECONDS = 1
    moderator(username="mo")
    _log_in(page)
    count = page.locator('.tab[data-queue="reported"] .tab-count')
    assert count.inner_text() == "0"

    _held(article, "Flagged by readers", "ann", queue_name="reported")

    page.locator('.tab[data-queue="reported"] .tab-count', has_text="1").wait_for(timeout=8000)


def test_the_moderation_pages_fit_a_390_px_phone(page, article):
    comment = _held(article, "A held comment with a longish-unbroken-word-" + "x" * 60, "ann")
    _held(article, "Another", "bob", queue_name="reported")
    mo = moderator(username="mo")
    services.claim(moderator=mo, queue="premod")
    services.add_note(user=comment.author, moderator=mo, text="Warned before")
    item = ReviewItem.objects.get(comment=comment)
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page)

    widths = {}
    for url in [
        "/moderation/",
        "/moderation/?queue=reported",
        "/moderation/?queue=approved",
        "/moderation/dashboard/",
        f"/moderation/items/{item.pk}/",
        f"/moderation/users/{comment.author_id}/",
        "/moderation/search/?q=held",
        "/moderation/articles/story/",
        "/moderation/sanctions/",
    ]:
        page.goto(url)
        widths[url] = page.evaluate("document.documentElement.scrollWidth")

    assert {url: w for url, w in widths.items() if w > 390} == {}
