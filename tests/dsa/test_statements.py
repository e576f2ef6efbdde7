"""Statements of reasons (DSA Art. 17): one for every restriction of a comment or an account,
with every field the Transparency Database asks, written in the restriction's own transaction."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from comments.services import flag_comment
from dsa import mail as dsa_mail
from dsa.models import Statement, months_after
from moderation import services
from moderation.models import ReviewItem
from tests.conftest import broker_at
from tests.factories import UserFactory, established_reader, make_comment, post_checked

from .conftest import decide, send_notice, suspend

pytestmark = pytest.mark.django_db


def refused_by_the_checks(article, writer, alice):
    post_checked(article, writer, "f.u.c.k this", TestCase.captureOnCommitCallbacks)


def withheld_by_readers_flags(article, writer, alice):
    comment = make_comment(article=article, author=writer)
    for _ in range(6):
        with TestCase.captureOnCommitCallbacks(execute=True):
            flag_comment(comment=comment, user=established_reader(), reason="abuse")


def rejected_by_a_moderator_after_the_checks_held_it(article, writer, alice):
    comment = post_checked(
        article, writer, "Buy here: https://example.com/deal", TestCase.captureOnCommitCallbacks
    )
    decide(comment, moderator=alice, action="reject", reason="spam", note="An advertisement.")


def removed_after_a_notice(article, writer, alice):
    comment = make_comment(article=article, author=writer)
    send_notice(TestCase.client_class(), comment)
    decide(comment, moderator=alice, action="reject", reason="illegal", note="A false accusation of a crime.")


def rejected_because_the_author_is_banned(article, writer, alice):
    make_comment(article=article, author=writer, status="pending")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.apply_sanction(user=writer, moderator=alice, kind="ban", reason="Repeated abuse.")


def account_suspended(article, writer, alice):
    suspend(writer, moderator=alice)


S = Statement
# What each restriction's statement says: decision, ground, source, automated detection and decision.
KINDS = {
    refused_by_the_checks: (S.Decision.CONTENT_REMOVED, S.Ground.INCOMPATIBLE_CONTENT, S.Source.OWN_INITIATIVE, True, S.Automation.FULLY),
    withheld_by_readers_flags: (S.Decision.CONTENT_DISABLED, S.Ground.INCOMPATIBLE_CONTENT, S.Source.READERS_FLAGS, False, S.Automation.FULLY),
    rejected_by_a_moderator_after_the_checks_held_it: (S.Decision.CONTENT_REMOVED, S.Ground.INCOMPATIBLE_CONTENT, S.Source.OWN_INITIATIVE, True, S.Automation.NOT_AUTOMATED),
    removed_after_a_notice: (S.Decision.CONTENT_REMOVED, S.Ground.ILLEGAL_CONTENT, S.Source.NOTICE, False, S.Automation.NOT_AUTOMATED),
    rejected_because_the_author_is_banned: (S.Decision.CONTENT_REMOVED, S.Ground.INCOMPATIBLE_CONTENT, S.Source.OWN_INITIATIVE, True, S.Automation.PARTIALLY),
    account_suspended: (S.Decision.ACCOUNT_SUSPENDED, S.Ground.INCOMPATIBLE_CONTENT, S.Source.OWN_INITIATIVE, False, S.Automation.NOT_AUTOMATED),
}  # fmt: skip


@pytest.mark.parametrize("restrict", KINDS, ids=[f.__name__ for f in KINDS])
def test_every_restriction_has_a_statement_with_every_field_the_law_asks(
    restrict, article, writer, alice, redis_client
):
    restrict(article, writer, alice)

    statement = Statement.objects.filter(user=writer, decision=KINDS[restrict][0]).get()
    decision, ground, source, detected, automation = KINDS[restrict]
    assert (statement.ground, statement.source) == (ground, source)
    assert (statement.automated_detection, statement.automated_decision) == (detected, automation)
    assert statement.explanation and statement.facts
    assert statement.category.startswith("STATEMENT_CATEGORY_")
    if ground == S.Ground.ILLEGAL_CONTENT:
        assert statement.legal_ground and statement.clause is None
    else:
        assert statement.clause.title in statement.explanation
    assert statement.content_date is not None
    assert (statement.end_date is not None) == (decision == S.Decision.ACCOUNT_SUSPENDED)
    assert (statement.decided_by == alice) == (automation == S.Automation.NOT_AUTOMATED)


def test_a_statement_by_the_checks_names_the_clause_and_keeps_the_word_lists_out(
    article, writer, redis_client
):
    refused_by_the_checks(article, writer, None)

    statement = Statement.objects.get()
    assert statement.clause.code == "civility"
    assert "automated check “banned_words”" in statement.facts
    assert "fuck" not in statement.explanation + statement.facts


def test_a_statement_by_the_harm_model_cites_the_clause_of_the_kind_it_found(
    article, writer, settings, redis_client
):
    # Refused outright at a reject threshold an admin set low, so the model's kind decides.
    settings.MODERATION_TOXICITY_REVIEW, settings.MODERATION_TOXICITY_REJECT = 0.1, 0.1

    post_checked(
        article, writer, "I know where you live. Watch your kids on the way home.",
        TestCase.captureOnCommitCallbacks,
    )  # fmt: skip

    statement = Statement.objects.get()
    assert "automated check “harm”" in statement.facts
    assert statement.clause.code == "threats"
    assert "threatening" in statement.explanation


def test_a_ban_has_its_own_statement_of_the_accounts_termination(article, writer, alice, redis_client):
    rejected_because_the_author_is_banned(article, writer, alice)

    ban = Statement.objects.get(decision=S.Decision.ACCOUNT_TERMINATED)
    assert ban.sanction.kind == "ban"
    assert "Repeated abuse." in ban.explanation
    assert ban.end_date is None


def test_pre_moderation_restricts_nothing_readers_see_and_has_no_statement(writer, alice):
    services.apply_sanction(user=writer, moderator=alice, kind="premod", reason="Watch them.")

    assert not Statement.objects.exists()


def test_a_statement_is_mailed_to_the_reader_with_how_to_appeal(article, writer, alice, redis_client):
    rejected_by_a_moderator_after_the_checks_held_it(article, writer, alice)

    [sent] = [m for m in mail.outbox if m.to == [writer.email]]  # it is the decision's one email
    statement = Statement.objects.get()
    assert sent.subject.endswith("Your comment was not published")
    assert "was not published because it is spam or advertising." in sent.body
    assert statement.explanation in sent.body
    assert "> Buy here: https://example.com/deal" in sent.body
    assert "An advertisement." not in sent.body  # the moderator's note
    assert f"/accounts/me/#statement-{statement.pk}" in sent.body
    assert "out-of-court dispute settlement" in sent.body
    assert statement.mailed_at is not None


def test_an_undone_decision_withdraws_its_statement_and_mails_nobody(article, writer, alice, redis_client):
    comment = post_checked(
        article, writer, "Buy here: https://example.com/deal", TestCase.captureOnCommitCallbacks
    )
    item = ReviewItem.objects.get(comment=comment)

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.decide(
            item_id=item.pk, moderator=alice, action="reject", reason="spam", version=comment.version
        )
        services.undo_last(moderator=alice)

    assert Statement.objects.get().withdrawn_at is not None
    assert not mail.outbox


def test_a_restored_comment_ends_its_statement(client, article, writer, alice, bob, redis_client):
    rejected_by_a_moderator_after_the_checks_held_it(article, writer, alice)
    item = ReviewItem.objects.get()

    services.reverse_decision(item_id=item.pk, moderator=bob)

    assert Statement.objects.get().reversed_at is not None


def test_a_statement_kept_while_the_broker_was_down_is_mailed_by_the_sweep(
    article, writer, alice, redis_client
):
    from config.celery import app

    comment = post_checked(
        article, writer, "Buy here: https://example.com/deal", TestCase.captureOnCommitCallbacks
    )
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        with broker_at("redis://127.0.0.1:1/0"):  # nothing listens there
            decide(comment, moderator=alice, action="reject", reason="spam")
    finally:
        app.conf.task_always_eager = eager
    statement = Statement.objects.get()
    assert statement.mailed_at is None and not mail.outbox

    Statement.objects.filter(pk=statement.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    sent = dsa_mail.sweep()

    assert sent == 1
    assert [m.to for m in mail.outbox] == [[writer.email]]
    assert dsa_mail.sweep() == 0


def test_the_reader_gets_their_statements_and_nobody_elses(client, article, writer, alice, redis_client):
    rejected_by_a_moderator_after_the_checks_held_it(article, writer, alice)
    other = UserFactory()
    refused_by_the_checks(article, other, alice)
    client.force_login(writer)

    body = client.get("/api/v1/me/statements/").json()

    [shown] = body["results"]
    statement = Statement.objects.get(user=writer)
    assert shown["id"] == statement.pk
    assert shown["decision"] == "DECISION_VISIBILITY_CONTENT_REMOVED"
    assert shown["ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert shown["clause"]["code"] == "spam"
    assert (shown["source"], shown["automated_detection"]) == ("SOURCE_VOLUNTARY", True)
    assert shown["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert shown["redress"]["can_appeal"] is True
    assert shown["redress"]["appeal_url"] == f"/api/v1/statements/{statement.pk}/appeal/"
    assert shown["redress"]["appeal_until"].startswith(
        months_after(statement.created_at, 6).date().isoformat()
    )


def test_the_readers_statements_page_through_by_cursor(client, writer, redis_client):
    for n in range(3):
        account_suspended(None, writer, moderator_for(n))
    client.force_login(writer)

    first = client.get("/api/v1/me/statements/?limit=2").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert second["next"] is None


def moderator_for(n: int):
    from tests.factories import moderator

    return moderator(username=f"mod{n}")


def test_statements_need_a_signed_in_reader(client):
    assert client.get("/api/v1/me/statements/").status_code == 401


def test_six_months_after_runs_to_the_end_of_a_shorter_month():
    assert months_after(datetime(2026, 8, 31, tzinfo=UTC), 6).date().isoformat() == "2027-02-28"
    assert months_after(datetime(2027, 8, 31, tzinfo=UTC), 6).date().isoformat() == "2028-02-29"


def test_the_readers_download_has_their_statements(client, article, writer, alice, redis_client):
    rejected_by_a_moderator_after_the_checks_held_it(article, writer, alice)
    client.force_login(writer)

    data = client.get("/api/v1/me/export/").json()

    assert [s["decision"] for s in data["statements_of_reasons"]] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
