import pytest

from corrections.models import CorrectionReport
from tests.factories import desk_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEED_URL = "/articles/98000-russians-flee-to-kazakhstan/"
SENTENCE = "Kazakh President Kassym-Jomart Tokayev ordered"


def _select(page, text: str) -> None:
    """Select `text` inside the article body, as a reader dragging the mouse would."""
    page.locator("#article-body").evaluate(
        """(body, text) => {
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(text);
                if (at !== -1) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + text.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error("text not found: " + text);
        }""",
        text,
    )


def test_reader_reports_a_sentence_with_ctrl_enter_and_the_desk_publishes_a_notice(page, seeded):
    page.goto(SEED_URL)
    _select(page, SENTENCE)
    page.keyboard.press("Control+Enter")

    dialog = page.get_by_role("dialog", name="Report a mistake")
    assert dialog.locator(".cd-quote").inner_text() == SENTENCE
    dialog.get_by_label("What is wrong").fill("The president's name is spelled differently.")
    dialog.get_by_label("Your email").fill("ann@example.com")
    dialog.get_by_role("button", name="Send the report").click()
    dialog.get_by_text("Thank you. The corrections desk will look into it.").wait_for()
    assert page.url.endswith(SEED_URL)

    report = CorrectionReport.objects.get()
    assert report.quote == SENTENCE
    assert report.prefix.endswith("At the same time, ")
    assert report.suffix.startswith(" \u00a0assistance") or report.suffix.startswith(" assistance")

    desk_editor(username="desk", password="correct horse battery staple")
    page.goto("/admin/login/?next=/admin/corrections/correctionreport/")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.locator("select[name=action]").select_option("publish_notice")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Correction notice").fill(
        "An earlier version of this article misspelled the president's name."
    )
    page.get_by_role("button", name="Preview the notice").click()
    page.get_by_role("button", name="Confirm and publish").click()
    page.get_by_text("Correction published").wait_for()

    page.goto(SEED_URL)
    notices = page.locator(".correction-notices")
    assert "An earlier version of this article misspelled the president's name." in notices.inner_text()


def test_escape_closes_the_dialog_without_sending(page, seeded):
    page.goto(SEED_URL)
    _select(page, SENTENCE)
    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("dialog", name="Report a mistake")
    dialog.wait_for()

    page.keyboard.press("Escape")

    assert not dialog.is_visible()
    assert not CorrectionReport.objects.exists()


def test_a_selection_over_1000_characters_is_refused_with_a_message(page, seeded):
    page.goto(SEED_URL)
    page.locator("#article-body").evaluate(
        """body => {
            const range = document.createRange();
            range.selectNodeContents(body);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
        }"""
    )
    page.keyboard.press("Control+Enter")

    alert = page.get_by_role("dialog").get_by_role("alert")
    assert "Please select at most 1,000 characters" in alert.inner_text()
    assert not page.get_by_role("button", name="Send the report").is_visible()


def test_the_dialog_shows_the_api_errors_next_to_the_field(page, seeded):
    page.goto(SEED_URL)
    _select(page, SENTENCE)
    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("dialog", name="Report a mistake")
    dialog.get_by_label("What is wrong").fill("Wrong name.")
    dialog.get_by_label("Your email").fill("not-an-address")

    dialog.get_by_role("button", name="Send the report").click()

    error = dialog.locator('[data-field="email"] .field-error')
    error.filter(has_text="valid email").wait_for()
    assert dialog.get_by_label("Your email").get_attribute("aria-invalid") == "true"
    assert not CorrectionReport.objects.exists()


def _cached_page(page) -> None:
    """Open the seed article as an anonymous reader gets it: whole from the shared cache."""
    page.goto(SEED_URL)  # builds and stores the page
    response = page.goto(SEED_URL)
    assert response.headers["cache-control"].startswith("public")
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
    assert not [c for c in page.context.cookies() if c["name"] == "csrftoken"]


def test_anonymous_reader_reports_with_ctrl_enter_from_the_cached_page(page, seeded):
    _cached_page(page)
    _select(page, SENTENCE)
    page.keyboard.press("Control+Enter")

    dialog = page.get_by_role("dialog", name="Report a mistake")
    dialog.get_by_label("What is wrong").fill("The name is spelled differently.")
    dialog.get_by_role("button", name="Send the report").click()

    dialog.get_by_text("Thank you. The corrections desk will look into it.").wait_for()
    assert CorrectionReport.objects.get().quote == SENTENCE


def test_anonymous_reader_without_javascript_reports_from_the_cached_page(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        _cached_page(page)
        page.get_by_role("link", name="write to us here").click()
        page.get_by_label("What is wrong").fill("The date is wrong.")
        page.get_by_role("button", name="Send").click()

        page.get_by_text("Thank you").first.wait_for()
        assert CorrectionReport.objects.get().message == "The date is wrong."
    finally:
        context.close()
