import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_sees_the_seed_article_in_chromium(page, seeded):
    page.goto("/")
    page.get_by_role("link", name=seeded.headline).click()
    page.wait_for_load_state()  # the checks below do not wait: the whole page must be there

    assert page.get_by_role("heading", level=1).inner_text() == seeded.headline
    body = page.locator("#article-body")
    assert "An estimated 98,000 Russians have fled" in body.inner_text()
    assert page.get_by_role("heading", name="Other Topics of Interest").is_visible()
    assert (
        page.get_by_role("link", name="write to us here").get_attribute("href").endswith("/corrections/new/")
    )
    assert page.get_by_text("You can also highlight the text and press").is_visible()
    assert page.get_by_role("heading", name="Comments (0)").is_visible()
    assert page.get_by_text("Write the first comment for this!").is_visible()


def test_stylesheet_is_served_by_the_site(page, seeded):
    page.goto("/articles/98000-russians-flee-to-kazakhstan/")

    font = page.locator("body").evaluate("el => getComputedStyle(el).fontFamily")
    assert "Georgia" in font
