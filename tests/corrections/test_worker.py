"""Correction emails and spam checks through a real Celery worker on the real Redis.

The worker is a separate process, so it writes mail to files (EMAIL_URL=filemail:////abs/path: environ
drops one leading slash) that the test reads.
"""

import pytest

from corrections.models import CorrectionReport
from tests.conftest import wait_for
from tests.factories import ArticleFactory, desk_editor

pytestmark = pytest.mark.integration
LIST = "/admin/corrections/correctionreport/"
SENTENCE = "The river rose by four metres overnight, flooding the old town."


@pytest.fixture
def mailbox(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def worker(celery_worker_factory, mailbox):
    mailbox.mkdir()
    return celery_worker_factory(extra_env={"EMAIL_URL": f"filemail:///{mailbox}"})


@pytest.fixture
def article(worker):
    return ArticleFactory(paragraphs=[SENTENCE])


@pytest.fixture
def editor(client, worker):
    user = desk_editor()
    client.force_login(user)
    return user


def _mails(mailbox) -> str:
    return "\n".join(f.read_text() for f in sorted(mailbox.iterdir()))


def _wait_for_mail(mailbox, text: str) -> str:
    return wait_for(lambda: text in _mails(mailbox) and _mails(mailbox), message=f"a mail with {text!r}")


def _report(client, article, **data):
    response = client.post(
        f"/api/v1/articles/{article.slug}/corrections/",
        {"message": "It was three metres.", **data},
        content_type="application/json",
    )
    assert response.status_code == 201
    return CorrectionReport.objects.get(pk=response.json()["id"])


def _act(client, action, reports, **data):
    return client.post(LIST, {"action": action, "_selected_action": [r.pk for r in reports], **data})


def test_a_reader_who_left_an_email_gets_an_acknowledgment(client, article, mailbox):
    report = _report(client, article, quote="four metres", email="ann@example.com")

    mail = _wait_for_mail(mailbox, "we received your correction report")

    assert "To: ann@example.com" in mail
    assert "four metres" not in mail  # the address is unconfirmed: none of the reader's words
    wait_for(lambda: CorrectionReport.objects.get(pk=report.pk).acknowledged_at, message="acknowledged_at")


def test_publishing_a_notice_tells_every_reader_of_the_passage(client, editor, article, mailbox):
    first = _report(client, article, quote="rose by four metres", email="ann@example.com")
    _report(client, article, quote="four metres overnight", email="bob@example.com")
    _wait_for_mail(mailbox, "To: bob@example.com")

    _act(
        client,
        "publish_notice",
        [first],
        apply="1",
        confirmed="1",
        text="An earlier version of this article misstated the rise.",
    )

    mail = _wait_for_mail(mailbox, "we corrected the article")
    wait_for(lambda: _mails(mailbox).count("we corrected the article") == 2, message="two resolution mails")
    assert "An earlier version of this article misstated the rise." in mail


def test_rejecting_sends_the_desk_reply_to_the_reader(client, editor, article, mailbox):
    report = _report(client, article, email="ann@example.com")

    _act(client, "reject_with_reply", [report], apply="1", reply="The UN figure is four metres.")

    mail = _wait_for_mail(mailbox, "about your correction report")
    assert "The UN figure is four metres." in mail


def test_a_duplicate_reporter_is_answered_when_the_original_is_resolved(client, editor, article, mailbox):
    original = _report(client, article, email="ann@example.com")
    copy = _report(client, article, email="bob@example.com", message="Three, not four.")
    _act(client, "mark_duplicate", [copy], apply="1", original=str(original.pk))

    _act(client, "reject_with_reply", [original], apply="1", reply="Four is right.")

    wait_for(lambda: _mails(mailbox).count("Four is right.") == 2, message="both readers answered")


def test_start_and_assign_send_no_mail_to_the_reader(client, editor, article, mailbox):
    report = _report(client, article, email="ann@example.com")
    _wait_for_mail(mailbox, "we received your correction report")

    _act(client, "assign_to_me", [report])
    _act(client, "start", [report])

    report.refresh_from_db()
    assert (report.status, report.assignee) == ("in_progress", editor)
    assert _mails(mailbox).count("ann@example.com") == 1


def test_the_worker_files_a_spam_report_as_rejected_and_keeps_it(client, article, mailbox):
    report = _report(
        client,
        article,
        message="Visit http://a.example http://b.example http://c.example",
        email="x@example.com",
    )

    wait_for(lambda: CorrectionReport.objects.get(pk=report.pk).status == "rejected", message="spam rejected")

    report.refresh_from_db()
    assert report.spam_reason.startswith("links:")
    assert _mails(mailbox) == ""
