"""The reader's quote is the reader's text: checked like the message, and marked for the desk when
it is not in the article."""

import pytest

from corrections import services
from tests.factories import ArticleFactory, desk_editor

pytestmark = pytest.mark.django_db
LIST = "/admin/corrections/correctionreport/"


@pytest.fixture
def article():
    return ArticleFactory(paragraphs=["The river rose by four metres overnight.", "The mayor spoke."])


def _report(article, django_capture_on_commit_callbacks=None, **fields):
    create = lambda: services.create_correction_report(  # noqa: E731
        article=article, message=fields.pop("message", "Wrong figure."), **fields
    )
    if django_capture_on_commit_callbacks is None:
        return create()
    with django_capture_on_commit_callbacks(execute=True):
        report = create()
    report.refresh_from_db()
    return report


def test_links_in_the_quote_reject_the_report(article, django_capture_on_commit_callbacks):
    report = _report(
        article,
        django_capture_on_commit_callbacks,
        quote="cheap pills http://a.example http://b.example http://c.example",
    )

    assert report.status == "rejected"
    assert report.spam_reason.startswith("links:")


def test_repeats_in_the_quote_reject_the_report(article, django_capture_on_commit_callbacks):
    report = _report(article, django_capture_on_commit_callbacks, quote="buy buy buy buy buy buy buy buy buy")

    assert report.status == "rejected"
    assert report.spam_reason.startswith("repeats:")


def test_a_quote_from_the_article_is_marked_found(article):
    report = _report(article, quote="rose by four metres")

    assert report.quote_found is True


def test_a_quote_that_is_not_in_the_article_is_marked_not_found(article):
    report = _report(article, quote="Send your password to the desk")

    assert report.quote_found is False


def test_a_report_without_a_quote_is_neither(article):
    assert _report(article).quote_found is None


def test_the_desk_can_list_the_reports_whose_quote_is_not_in_the_article(client, article):
    client.force_login(desk_editor())
    _report(article, quote="rose by four metres", message="Found one.")
    _report(article, quote="Send your password to the desk", message="Invented one.")

    page = client.get(LIST, {"quote_found": "no"}).content.decode()

    assert "Invented one." in page
    assert "Found one." not in page


def test_the_report_page_says_the_quote_was_not_in_the_article(client, article):
    client.force_login(desk_editor())
    report = _report(article, quote="Send your password to the desk")

    page = client.get(f"{LIST}{report.pk}/change/").content.decode()

    assert "quote in article" in page.lower()
    assert 'alt="False"' in page
