"""The correction tasks: retried on transient errors, locking only the rows they change."""

import pytest
import redis
from django.core import mail

from corrections import mail as correction_mail
from corrections.tasks import send_correction_acknowledgment
from tests.conftest import fail_once, lock_timeout, row_locked
from tests.factories import CorrectionReportFactory


@pytest.fixture
def report(db):
    report = CorrectionReportFactory(email="reader@example.com")
    report.checked_at = report.created_at
    report.save(update_fields=["checked_at"])
    return report


def test_acknowledgement_runs_again_after_a_transient_error_and_is_sent_once(report, monkeypatch):
    calls = fail_once(
        monkeypatch,
        correction_mail,
        "send_correction_acknowledgment",
        redis.TimeoutError("Timeout reading from socket"),
    )

    result = send_correction_acknowledgment.apply(args=[report.pk], throw=False)

    assert result.successful()
    assert len(calls) == 2
    assert len(mail.outbox) == 1


def test_acknowledging_a_report_does_not_wait_for_its_articles_lock(postgres, transactional_db):
    report = CorrectionReportFactory(email="reader@example.com")
    report.checked_at = report.created_at
    report.save(update_fields=["checked_at"])

    # A report being filed on the same article holds the article's row lock meanwhile.
    with row_locked("articles_article", report.article_id), lock_timeout(2):
        sent = correction_mail.send_correction_acknowledgment(report_id=report.pk)

    assert sent is True
    assert len(mail.outbox) == 1
