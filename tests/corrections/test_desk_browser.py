"""The corrections desk in Chromium: preview and confirm, the public trail of edits, correcting a
passage with its diff, the reports list at 1280 px, and readers on touch screens."""

import pytest

from corrections import services
from corrections.models import CorrectionNotice
from tests.factories import ArticleFactory, desk_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SENTENCE = "The river rose by four metres overnight, flooding the old town."
LIST = "/admin/corrections/correctionreport/"


@pytest.fixture
def article():
    return ArticleFactory(slug="flood", paragraphs=["The storm came at night.", SENTENCE])


@pytest.fixture
def desk(page):
    desk_editor(username="desk")
    page.goto(f"/admin/login/?next={LIST}")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    return page


def _report(article, quote="four metres"):
    return services.create_correction_report(article=article, quote=quote, message="It was three metres.")


def test_the_desk_must_finish_the_template_and_confirm_a_preview_before_a_notice_goes_out(desk, article):
    _report(article)
    page = desk
    page.goto(LIST)
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.locator("select[name=action]").select_option("publish_notice")
    page.get_by_role("button", name="Go").click()

    assert page.get_by_label("Correction notice").input_value().startswith(services.NOTICE_TEMPLATE)
    page.get_by_role("button", name="Preview the notice").click()
    page.get_by_text("Finish the notice").wait_for()
    assert not CorrectionNotice.objects.exists()

    page.get_by_label("Correction notice").fill(
        "An earlier version of this article gave the rise as four metres; it was three."
    )
    page.get_by_role("button", name="Preview the notice").click()
    preview = page.locator(".notice-preview")
    assert "it was three." in preview.locator(".article-preview").inner_text()
    assert "it was three." in preview.locator(".corrections-log").inner_text()
    assert '"CorrectionComment"' in preview.locator(".json-ld-preview").inner_text()
    assert not CorrectionNotice.objects.exists()

    page.get_by_role("button", name="Confirm and publish").click()
    page.get_by_text("Correction published").wait_for()
    page.goto("/articles/flood/")
    assert "it was three." in page.locator(".correction-notices").inner_text()


def test_an_edited_notice_shows_updated_on_the_article_and_in_the_log(desk, article):
    notice = services.publish_correction(
        report=_report(article), text="An earlier version said five metres.", user=desk_editor(username="ed")
    )
    page = desk
    page.goto(f"/admin/corrections/correctionnotice/{notice.pk}/change/")
    page.get_by_label("Text").fill("An earlier version of this article said five metres; it was four.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()

    page.goto(f"/admin/corrections/correctionnotice/{notice.pk}/change/")
    assert "An earlier version said five metres." in page.locator(".inline-group").inner_text()
    page.goto("/articles/flood/")
    on_article = page.locator(".correction-notices").inner_text()
    page.goto("/corrections/")
    in_log = page.locator(".corrections-log").inner_text()

    assert "it was four." in on_article and "Updated " in on_article
    assert "Updated " in in_log


def test_the_desk_corrects_the_passage_with_its_notice_and_readers_and_staff_see_what_changed(desk, article):
    report = _report(article)
    page = desk
    page.goto(f"{LIST}{report.pk}/change/")
    page.get_by_role("link", name="Correct this passage and publish a notice").click()

    assert page.locator(".fix-paragraph mark").inner_text() == "four metres"
    page.get_by_label("The paragraph, corrected").fill(SENTENCE.replace("four", "three"))
    page.get_by_label("Correction notice").fill(
        "An earlier version of this article gave the rise as four metres."
    )
    page.get_by_role("button", name="Preview").click()
    assert page.locator(".word-diff del").first.inner_text() == "four"
    page.get_by_role("button", name="Save the correction and publish the notice").click()
    page.get_by_text("Passage corrected and notice published").wait_for()

    page.goto("/articles/flood/")
    assert "three metres" in page.locator("#article-body").inner_text()
    page.get_by_text("What changed").click()
    changed = page.locator(".what-changed")
    assert changed.locator("del").inner_text() == "four metres"
    assert changed.locator("ins").inner_text() == "three metres"

    page.goto(f"/admin/articles/article/{article.pk}/revisions/")
    diff = page.locator(".word-diff")
    assert diff.locator("del").inner_text() == "four" and diff.locator("ins").inner_text() == "three"


def test_the_reports_list_at_1280_px_opens_on_new_and_fits_without_sideways_scroll(desk, article):
    for n in range(3):
        services.create_correction_report(
            article=article,
            quote="The river rose by four metres overnight, flooding the old town " * 2,
            message=f"Report {n}: " + "the figure is wrong and the town was not flooded at all " * 4,
        )
    page = desk
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(LIST)

    selected = page.locator("#changelist-filter li.selected", has_text="New")
    assert selected.count() >= 1
    results = page.locator("#changelist-form .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for column in ["passage", "short_message", "status", "assignee", "age", "reporters"]:
        assert page.locator(f"#result_list thead th.column-{column}").is_visible()


@pytest.mark.parametrize("url", ["/articles/flood/", "/articles/flood/corrections/new/"])
def test_every_aria_describedby_in_the_dialog_and_the_form_names_an_element(page, article, url):
    page.goto(url)

    missing = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
            el.getAttribute('aria-describedby').split(/\\s+/).filter(id => !document.getElementById(id)))"""
    )
    count = page.locator("form.correction-form [aria-describedby]").count()

    assert count >= 2
    assert missing == []


def test_on_a_touch_screen_selecting_text_offers_report_this(browser, live_server, article):
    context = browser.new_context(base_url=live_server.url, has_touch=True, is_mobile=True,
                                  viewport={"width": 390, "height": 800})  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/articles/flood/")
    assert page.get_by_role("link", name="write to us here").is_visible()
    assert not page.get_by_text("press Ctrl").is_visible()

    page.locator("#article-body").evaluate(
        """body => {
            const node = body.querySelectorAll('p')[1].firstChild;
            const range = document.createRange();
            range.setStart(node, node.data.indexOf('four metres'));
            range.setEnd(node, node.data.indexOf('four metres') + 'four metres'.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    page.get_by_role("button", name="Report this").tap()

    dialog = page.get_by_role("dialog", name="Report a mistake")
    assert dialog.locator(".cd-quote").inner_text() == "four metres"
    context.close()
