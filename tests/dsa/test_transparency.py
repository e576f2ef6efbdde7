"""The transparency figures (DSA Art. 15 and 24), computed from a known history of March 2026."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from comments.models import AuditRecord
from dsa import transparency
from dsa.models import Appeal, Notice, Statement
from dsa.statements import clause
from moderation.models import Sanction
from tests.factories import UserFactory, clock, make_comment, moderator

pytestmark = pytest.mark.django_db
S = Statement
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def on(day: int, hour: int = 12, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def notice(comment, at, category="defamation", decided=None, outcome=""):
    with clock(at):
        made = Notice.objects.create(
            comment=comment, category=category, explanation="Illegal.", good_faith=True
        )
    Notice.objects.filter(pk=made.pk).update(decided_at=decided, outcome=outcome)


def statement(user, at, decision, automation, source, ground=S.Ground.INCOMPATIBLE_CONTENT, **extra):
    with clock(at):
        return Statement.objects.create(
            user=user, decision=decision, ground=ground, automated_decision=automation, source=source,
            clause=clause("general") if ground == S.Ground.INCOMPATIBLE_CONTENT else None,
            legal_ground="Defamation" if ground == S.Ground.ILLEGAL_CONTENT else "",
            explanation="Why.", facts="Facts.", category="STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
            automated_detection=automation != S.Automation.NOT_AUTOMATED,
            end_date=at + timedelta(days=7) if decision == S.Decision.ACCOUNT_SUSPENDED else None, **extra,
        )  # fmt: skip


def appeal(made, at, decided, outcome):
    with clock(at):
        appealed = Appeal.objects.create(statement=made, appellant=made.user, text="Wrong.")
    Appeal.objects.filter(pk=appealed.pk).update(decided_at=decided, outcome=outcome)


def record(comment, at, action, to, by="system:toxicity@3", frm="pending"):
    with clock(at):
        AuditRecord.objects.create(
            comment=comment, actor_name=by, action=action, from_status=frm, to_status=to, comment_version=1
        )


@pytest.fixture
def history(article):
    """What happened in March 2026 (and a little around it, which must not count)."""
    reader, mina = UserFactory(), moderator(username="mina")
    comment = make_comment(article=article, author=reader)
    notice(comment, on(2, 10), decided=on(2, 12), outcome="removed")  # 2 hours
    notice(comment, on(3, 10), decided=on(4, 10), outcome="kept")  # 24 hours
    notice(comment, on(5), category="illegal_hate_speech")  # not decided yet
    notice(comment, on(20, month=2), decided=on(21, month=2), outcome="kept")  # February

    removed = statement(
        reader, on(10), S.Decision.CONTENT_REMOVED, S.Automation.FULLY, S.Source.OWN_INITIATIVE
    )
    illegal = statement(
        reader,
        on(2),
        S.Decision.CONTENT_REMOVED,
        S.Automation.NOT_AUTOMATED,
        S.Source.NOTICE,
        ground=S.Ground.ILLEGAL_CONTENT,
    )
    statement(reader, on(12), S.Decision.CONTENT_DISABLED, S.Automation.FULLY, S.Source.READERS_FLAGS)
    statement(
        reader, on(15), S.Decision.ACCOUNT_SUSPENDED, S.Automation.NOT_AUTOMATED, S.Source.OWN_INITIATIVE
    )
    statement(reader, on(16), S.Decision.CONTENT_REMOVED, S.Automation.PARTIALLY, S.Source.OWN_INITIATIVE)
    statement(
        reader,
        on(17),
        S.Decision.CONTENT_REMOVED,
        S.Automation.FULLY,
        S.Source.OWN_INITIATIVE,
        withdrawn_at=on(17),
    )
    statement(reader, on(18), S.Decision.NO_ACTION, S.Automation.NOT_AUTOMATED, S.Source.NOTICE, ground="")
    statement(reader, on(2, month=4), S.Decision.CONTENT_REMOVED, S.Automation.FULLY, S.Source.OWN_INITIATIVE)

    appeal(removed, on(10, 10), decided=on(10, 11), outcome="reversed")  # 1 hour
    appeal(illegal, on(11, 10), decided=on(11, 13), outcome="upheld")  # 3 hours
    february = statement(
        reader, on(27, month=2), S.Decision.CONTENT_REMOVED, S.Automation.FULLY, S.Source.OWN_INITIATIVE
    )
    appeal(february, on(27, month=2), decided=on(1), outcome="upheld")  # 2 days, decided in March

    for n in range(4):  # the checks refused four new comments; a moderator published one of them
        refused = make_comment(article=article, status="rejected")
        record(refused, on(6 + n), "moderation.comment.rejected", "rejected")
        if n == 0:
            record(refused, on(7 + n), "moderation.comment.approved", "approved", by="mina", frm="rejected")
    for approved in (True, False):  # they held two; a moderator published one, rejected the other
        held = make_comment(article=article, status="approved" if approved else "rejected")
        record(held, on(8), "moderation.comment.held", "in_review")
        record(
            held,
            on(9),
            f"moderation.comment.{'approved' if approved else 'rejected'}",
            held.status,
            by="mina",
            frm="in_review",
        )
    record(make_comment(article=article), on(3, month=4), "moderation.comment.rejected", "rejected")  # April

    for kind, at in [("suspend", on(15)), ("ban", on(16)), ("ban", on(10, month=2))]:
        with clock(at):
            Sanction.objects.create(
                user=UserFactory(),
                kind=kind,
                reason="Abuse.",
                created_by=mina,
                until=on(30) if kind == "suspend" else None,
            )
    # fmt: skip


def test_notices_are_counted_by_category_with_the_median_time_to_decision(history):
    notices = transparency.figures(**MARCH)["notices"]

    assert notices["received"] == 3
    assert (notices["by_category"]["defamation"], notices["by_category"]["illegal_hate_speech"]) == (2, 1)
    assert notices["decided"] == {"removed": 1, "kept": 1}
    assert notices["median_seconds_to_decision"] == 13 * 3600  # of 2 and 24 hours


def test_actions_are_counted_by_decision_ground_automation_and_source(history):
    actions = transparency.figures(**MARCH)["actions"]

    assert actions["total"] == 5  # not the withdrawn one, not the decision of no action, not April's
    assert actions["by_decision"] == {
        "DECISION_VISIBILITY_CONTENT_REMOVED": 3, "DECISION_VISIBILITY_CONTENT_DISABLED": 1,
        "DECISION_ACCOUNT_SUSPENDED": 1, "DECISION_ACCOUNT_TERMINATED": 0,
    }  # fmt: skip
    assert actions["by_ground"] == {
        "DECISION_GROUND_ILLEGAL_CONTENT": 1,
        "DECISION_GROUND_INCOMPATIBLE_CONTENT": 4,
    }
    assert actions["by_automation"] == {
        "AUTOMATED_DECISION_FULLY": 2, "AUTOMATED_DECISION_PARTIALLY": 1, "AUTOMATED_DECISION_NOT_AUTOMATED": 2,
    }  # fmt: skip
    assert actions["by_source"]["SOURCE_ARTICLE_16"] == 1
    assert actions["by_source"]["SOURCE_TYPE_OTHER_NOTIFICATION"] == 1


def test_appeals_are_counted_with_the_median_time_and_how_many_were_reversed(history):
    appeals = transparency.figures(**MARCH)["appeals"]

    assert appeals == {
        "received": 2, "decided": 3, "reversed": 1, "upheld": 2, "median_seconds_to_decision": 3 * 3600.0,
    }  # fmt: skip


def test_the_checks_error_rate_counts_their_decisions_a_moderator_reversed(history):
    automated = transparency.figures(**MARCH)["automated"]

    assert automated["rejections"] == {"count": 4, "reversed_by_moderators": 1}
    assert automated["holds"] == {"count": 2, "reversed_by_moderators": 1}
    assert automated["error_rate"] == round(2 / 6, 4)


def test_suspensions_and_bans_of_the_period_are_counted(history):
    assert transparency.figures(**MARCH)["sanctions"] == {"suspend": 1, "ban": 1}


def test_the_figures_take_ten_queries_whatever_happened(history, django_assert_num_queries):
    cache.clear()

    with django_assert_num_queries(10):
        transparency.figures(**MARCH)


def test_the_api_gives_the_figures_of_the_period_asked(history):
    body = APIClient().get("/api/v1/transparency/?from=2026-03-01&to=2026-03-31").json()

    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    assert body["notices"]["received"] == 3
    assert body["automated"]["error_rate"] == round(2 / 6, 4)


@pytest.mark.parametrize("query", ["from=2026-04-01&to=2026-03-01", "from=yesterday", "to=2026-02-30"])
def test_the_api_refuses_a_period_that_makes_no_sense(query):
    response = APIClient().get(f"/api/v1/transparency/?{query}")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_the_public_page_has_the_tables_and_the_dashboards_charts(client, history):
    page = client.get("/transparency/?from=2026-03-01&to=2026-03-31").content.decode()

    assert "Notices of illegal content received, by category" in page
    assert '<th scope="row">Defamation</th><td class="num">2</td>' in page
    assert "33.3%" in page
    assert page.count("<svg") == 2  # the moderation dashboard's charts
    assert "Decisions per hour as a table" in page
