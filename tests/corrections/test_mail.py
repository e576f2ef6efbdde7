"""Mail to the address a reader typed: it may be anyone's, so none of the reader's words go in it."""

import pytest
from django.core import mail

from corrections import services
from tests.factories import ArticleFactory, desk_editor

pytestmark = pytest.mark.django_db

PHISHING = "Your account is locked: confirm your password at http://bank.example/login"


@pytest.fixture
def article():
    return ArticleFactory(paragraphs=["The river rose by four metres overnight."])


def _report(article, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_correction_report(
            article=article,
            email="victim@example.com",
            message=fields.pop("message", "The river rose by three metres."),
            **fields,
        )


def test_the_acknowledgement_carries_none_of_the_readers_text(article, django_capture_on_commit_callbacks):
    _report(
        article,
        django_capture_on_commit_callbacks,
        quote="Urgent: call 555-0100 to keep your account",
        suggestion="Reply with your card number",
        name="Your bank's security team",
        message="Please act now, this is your bank.",
    )

    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["victim@example.com"]
    for reader_text in ["555-0100", "card number", "security team", "act now"]:
        assert reader_text not in body
    assert mail.outbox[0].subject == "The Newsroom: we received your correction report"


def test_a_phishing_text_in_the_quote_is_rejected_and_mails_nobody(
    article, django_capture_on_commit_callbacks
):
    report = _report(
        article, django_capture_on_commit_callbacks, quote=f"{PHISHING} http://a.example http://b.example"
    )

    report.refresh_from_db()
    assert report.status == "rejected"
    assert mail.outbox == []


def test_the_outcome_mail_does_not_greet_the_reader_by_the_name_they_typed(
    article, django_capture_on_commit_callbacks
):
    report = _report(article, django_capture_on_commit_callbacks, name="Security team of Example Bank")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_reports(reports=[report], user=desk_editor(), reply="The figure is right.")

    assert "Example Bank" not in mail.outbox[0].body
    assert "The figure is right." in mail.outbox[0].body


def test_the_outcome_mail_links_the_article_at_the_sites_address(
    article, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://news.example:8303"
    report = _report(article, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_reports(reports=[report], user=desk_editor(), reply="The figure is right.")

    assert f"http://news.example:8303{article.get_absolute_url()}" in mail.outbox[0].body
