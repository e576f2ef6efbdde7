import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from corrections import mail as correction_mail
from corrections import services
from corrections.models import CorrectionNotice, CorrectionReport, CorrectionStatusChange
from corrections.signals import report_checking
from moderation.apps import _check_report
from moderation.models import WordListEntry
from tests.factories import ArticleFactory, CorrectionReportFactory, desk_editor

pytestmark = pytest.mark.django_db

SENTENCE = "The river rose by four metres overnight, flooding the old town."
OTHER = "The mayor said the clean-up would take a month."


@pytest.fixture
def article():
    return ArticleFactory(paragraphs=[SENTENCE, OTHER])


def _report(article, **fields):
    return services.create_correction_report(
        article=article, message=fields.pop("message", "Wrong."), **fields
    )


def test_reports_of_overlapping_passages_form_one_group(article):
    first = _report(article, quote="rose by four metres overnight")
    second = _report(article, quote="four metres overnight, flooding the old town")

    assert second.group_id == first.pk
    assert first.group_id == first.pk


def test_a_report_with_plain_quotes_groups_with_the_same_passage_typed_differently(article):
    first = _report(article, quote="The river  rose by four metres")
    second = _report(article, quote="the river rose by four metres")

    assert second.group_id == first.pk


def test_reports_of_different_passages_stay_apart(article):
    first = _report(article, quote="rose by four metres")
    second = _report(article, quote="clean-up would take a month")

    assert second.group_id == second.pk != first.pk


def test_reports_of_another_article_stay_apart(article):
    first = _report(article, quote="rose by four metres")
    second = _report(ArticleFactory(paragraphs=[SENTENCE]), quote="rose by four metres")

    assert second.group_id == second.pk != first.pk


def test_a_resolved_passage_starts_a_new_group(article):
    first = _report(article, quote="rose by four metres")
    services.reject_reports(reports=[first], user=desk_editor(), reply="It did.")

    again = _report(article, quote="rose by four metres")

    assert again.group_id == again.pk


def test_a_report_about_the_whole_article_is_its_own_group(article):
    _report(article)
    second = _report(article)

    assert second.group_id == second.pk


def test_a_report_with_links_is_kept_but_rejected_with_the_reason(
    article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(article, message="Cheap pills http://a.example http://b.example http://c.example")

    report.refresh_from_db()
    assert report.status == "rejected"
    assert report.spam_reason.startswith("links:")
    assert report.status_changes.get().actor == "system (links check v3)"


def test_a_report_of_repeated_words_is_rejected_as_spam(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(article, message="buy buy buy buy buy buy buy buy buy now")

    report.refresh_from_db()
    assert report.status == "rejected"
    assert report.spam_reason.startswith("repeats:")


def test_moderations_banned_words_refuse_a_report(article, django_capture_on_commit_callbacks):
    WordListEntry.objects.create(phrase="frobnicate", kind="banned")

    with django_capture_on_commit_callbacks(execute=True):
        report = _report(article, message="You should frobnicate this.")

    report.refresh_from_db()
    assert report.status == "rejected"
    assert report.spam_reason == "banned_words: frobnicate"


def frobnicate(sender, *, text: str, **kwargs) -> str | None:
    return "banned words: 'frobnicate'" if "frobnicate" in text else None


@pytest.fixture
def only_frobnicate():
    """The report's words answered by this receiver alone, not moderation's."""
    assert report_checking.disconnect(_check_report, dispatch_uid="moderation.check_report")
    report_checking.connect(frobnicate, dispatch_uid="tests.frobnicate")
    yield
    report_checking.disconnect(frobnicate, dispatch_uid="tests.frobnicate")
    report_checking.connect(_check_report, dispatch_uid="moderation.check_report")


def test_whoever_answers_report_checking_decides(
    article, only_frobnicate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused = _report(article, message="You should frobnicate this.")
        passed = _report(article, message="The river rose by three metres.")

    refused.refresh_from_db()
    passed.refresh_from_db()
    assert (refused.status, refused.spam_reason) == ("rejected", "banned words: 'frobnicate'")
    assert passed.status != "rejected"


def test_a_report_nothing_checks_is_refused_never_let_through(article, django_capture_on_commit_callbacks):
    assert report_checking.disconnect(_check_report, dispatch_uid="moderation.check_report")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = _report(article, message="A fine report.")
    finally:
        report_checking.connect(_check_report, dispatch_uid="moderation.check_report")

    report.refresh_from_db()
    assert report.status == "rejected"
    assert report.spam_reason == "policy: nothing checked the report's words (no receiver of report_checking)"


def test_a_clean_report_with_an_email_is_acknowledged_once(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(article, email="reader@example.com", quote="rose by four metres")

    correction_mail.send_correction_acknowledgment(report_id=report.pk)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.com"]
    assert article.headline in mail.outbox[0].body


def test_a_spam_report_gets_no_email(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _report(article, email="bot@example.com", message="aaaaaaaaaaaaaaaaaaaaaaaa")

    assert mail.outbox == []


def test_a_honeypot_report_is_kept_as_rejected(article):
    report = _report(article, honeypot_filled=True)

    assert report.status == "rejected"
    assert CorrectionReport.objects.filter(pk=report.pk, spam_reason__startswith="honeypot").exists()


def test_starting_a_report_records_who_and_when(article):
    editor = desk_editor()
    report = _report(article, quote="rose by four metres")

    services.start_reports(reports=[report], user=editor)

    change = CorrectionStatusChange.objects.get(report=report)
    assert (change.from_status, change.to_status, change.changed_by, change.actor) == (
        "new",
        "in_progress",
        editor,
        editor.username,
    )
    assert change.changed_at is not None


def test_publishing_resolves_every_report_of_the_passage_and_bumps_the_article(article):
    editor = desk_editor()
    first = _report(article, quote="rose by four metres")
    second = _report(article, quote="four metres overnight")
    before = article.updated_at

    notice = services.publish_correction(
        report=second, text="An earlier version misstated the rise.", user=editor
    )

    assert set(CorrectionReport.objects.values_list("status", flat=True)) == {"published"}
    assert notice.group_id == first.pk
    article.refresh_from_db()
    assert article.updated_at > before


def test_publishing_an_already_resolved_passage_is_refused(article):
    report = _report(article, quote="rose by four metres")
    services.publish_correction(
        report=report, text="An earlier version misstated the rise.", user=desk_editor()
    )

    with pytest.raises(services.CorrectionError):
        services.publish_correction(report=report, text="Again.", user=desk_editor())

    assert CorrectionNotice.objects.count() == 1


def test_a_duplicate_joins_the_original_group(article):
    original = _report(article, quote="rose by four metres")
    other = _report(article, quote="clean-up would take a month")

    services.mark_duplicate(report=other, original=original, user=desk_editor())

    other.refresh_from_db()
    assert (other.status, other.duplicate_of, other.group_id) == ("duplicate", original, original.pk)


def test_a_report_cannot_be_its_own_duplicate(article):
    report = _report(article)

    with pytest.raises(services.CorrectionError):
        services.mark_duplicate(report=report, original=report, user=desk_editor())


def test_a_rejection_needs_a_reply(article):
    with pytest.raises(services.CorrectionError):
        services.reject_reports(reports=[_report(article)], user=desk_editor(), reply=" ")


def test_the_database_refuses_a_duplicate_without_its_original():
    report = CorrectionReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionReport.objects.filter(pk=report.pk).update(status="duplicate")


def test_the_database_refuses_work_in_progress_without_an_assignee():
    report = CorrectionReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionReport.objects.filter(pk=report.pk).update(status="in_progress")


def test_status_changes_are_never_edited():
    report = CorrectionReportFactory()
    change = CorrectionStatusChange.objects.create(
        report=report, from_status="new", to_status="rejected", actor="x"
    )

    with pytest.raises(ValueError):
        change.save()


def test_the_sweep_finishes_checks_and_emails_a_lost_message_left_undone(
    article, django_capture_on_commit_callbacks
):
    report = CorrectionReportFactory(article=article, email="ann@example.com")
    CorrectionReport.objects.filter(pk=report.pk).update(
        created_at=report.created_at - timezone.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_correction_reports()
    services.sweep_correction_reports()

    report.refresh_from_db()
    assert report.checked_at is not None
    assert [m.subject for m in mail.outbox] == ["The Newsroom: we received your correction report"]
