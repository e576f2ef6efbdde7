import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from rest_framework.test import APIClient

from comments.models import AuditRecord
from moderation import charts, stats
from moderation.models import ReviewItem
from tests.factories import UserFactory, clock, make_comment, moderator

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 12, 30, tzinfo=UTC)  # "24h" starts 2025-03-09 13:00, "7d" 03-03 13:00


def ago(**kwargs) -> datetime:
    return NOW - timedelta(**kwargs)


@pytest.fixture
def mod():
    return moderator(username="mina")


def post(article, at: datetime, status: str = "pending"):
    with clock(at):
        return make_comment(article=article, status=status)


def record(comment, at: datetime, action: str, *, by: str = "system:toxicity@1", frm="pending", to=None):
    to = to or {
        "moderation.comment.approved": "approved",
        "moderation.comment.rejected": "rejected",
        "moderation.comment.held": "in_review",
    }.get(action, frm)
    with clock(at):
        return AuditRecord.objects.create(
            comment=comment, actor_name=by, action=action, from_status=frm, to_status=to, comment_version=1
        )


def item(comment, at: datetime, queue: str = "premod", decided_at: datetime | None = None):
    with clock(at):
        return ReviewItem.objects.create(
            comment=comment, queue=queue, decided_at=decided_at, decision="approve" if decided_at else ""
        )


def period(name: str) -> dict:
    return stats.figures(now=NOW)["periods"][name]


# Decisions per hour


def test_decisions_are_counted_by_actor_in_each_period(article):
    c = post(article, ago(days=8))
    record(c, ago(minutes=80), "moderation.comment.approved")  # 11:10
    record(c, ago(minutes=70), "moderation.comment.approved", by="mina", frm="in_review")
    record(c, ago(minutes=25), "moderation.comment.held")  # 12:05
    record(c, ago(minutes=24), "moderation.comment.escalated", by="mina", frm="in_review")
    record(c, ago(days=3), "moderation.comment.rejected", by="system:author_standing")
    record(c, ago(days=8), "moderation.comment.rejected")  # before the 7 days

    assert period("24h")["decisions"] == {"system": 2, "moderators": 2}
    assert period("7d")["decisions"] == {"system": 3, "moderators": 2}


def test_edits_deletions_reports_and_undos_are_not_decisions(article):
    c = post(article, ago(hours=2))
    record(c, ago(minutes=20), "comments.comment.edited", by="ann", frm="approved", to="pending")
    record(c, ago(minutes=19), "moderation.comment.reported", by="system:flags", frm="approved")
    record(
        c, ago(minutes=18), "moderation.comment.withheld", by="system:flags", frm="approved", to="in_review"
    )
    record(c, ago(minutes=17), "moderation.decision.undone", by="mina", frm="rejected", to="in_review")
    record(c, ago(minutes=16), "comments.comment.deleted", by="ann", frm="in_review", to="deleted")

    assert period("24h")["decisions"] == {"system": 0, "moderators": 0}


def test_decisions_per_hour_are_whole_clock_hours_ending_with_this_one(article):
    c = post(article, ago(days=1))
    record(c, ago(minutes=80), "moderation.comment.approved")  # 11:10
    record(c, ago(minutes=70), "moderation.comment.approved", by="mina", frm="in_review")  # 11:20
    record(c, ago(minutes=25), "moderation.comment.held")  # 12:05
    record(c, ago(minutes=24), "moderation.comment.escalated", by="mina", frm="in_review")
    record(c, ago(minutes=23), "moderation.comment.rejected", by="mina", frm="in_review")

    hours = period("24h")["decisions_per_hour"]

    assert len(hours) == 24
    assert hours[0] == {"hour": datetime(2025, 3, 9, 13, tzinfo=UTC), "system": 0, "moderators": 0}
    assert hours[-2] == {"hour": datetime(2025, 3, 10, 11, tzinfo=UTC), "system": 1, "moderators": 1}
    assert hours[-1] == {"hour": datetime(2025, 3, 10, 12, tzinfo=UTC), "system": 1, "moderators": 2}


def test_the_week_has_168_hours_and_its_bars_add_up_to_its_totals(article):
    c = post(article, ago(days=8))
    record(c, ago(days=6, hours=23), "moderation.comment.approved")  # 13:30 on the first day
    record(c, ago(days=7, hours=1), "moderation.comment.approved")  # 11:30, the hour before

    week = period("7d")

    assert len(week["decisions_per_hour"]) == 168
    assert week["decisions_per_hour"][0]["system"] == 1
    assert sum(h["system"] for h in week["decisions_per_hour"]) == week["decisions"]["system"] == 1


# Time from posting to decision


def _five_decided_today(article):
    for seconds in (60, 120, 180, 240):
        c = post(article, ago(hours=3))
        record(c, ago(hours=3) + timedelta(seconds=seconds), "moderation.comment.approved")
    held = post(article, ago(hours=5))
    record(held, ago(hours=5) + timedelta(seconds=10), "moderation.comment.held")  # a hold is not a decision
    record(
        held, ago(hours=5) + timedelta(seconds=600), "moderation.comment.rejected", by="mina", frm="in_review"
    )


def test_time_to_decision_p50_and_p95_over_the_last_24_hours(article):
    _five_decided_today(article)

    assert period("24h")["time_to_decision_seconds"] == {"p50": 180.0, "p95": 528.0, "count": 5}


def test_time_to_decision_counts_a_comment_once_in_the_period_of_its_first_decision(article):
    _five_decided_today(article)
    reported = post(article, ago(days=2))
    record(reported, ago(days=2) + timedelta(seconds=30), "moderation.comment.approved")
    record(reported, ago(minutes=5), "moderation.comment.rejected", by="mina", frm="approved")

    assert period("24h")["time_to_decision_seconds"] == {"p50": 180.0, "p95": 528.0, "count": 5}
    assert period("7d")["time_to_decision_seconds"] == {"p50": 150.0, "p95": 510.0, "count": 6}


def test_time_to_decision_is_null_without_decisions(article):
    assert period("24h")["time_to_decision_seconds"] == {"p50": None, "p95": None, "count": 0}


# Automated outcomes


def test_auto_shares_are_the_systems_decisions_on_pending_comments(article):
    c = post(article, ago(days=2))
    record(c, ago(hours=1), "moderation.comment.approved")
    record(c, ago(hours=2), "moderation.comment.approved", by="system")
    record(c, ago(hours=3), "moderation.comment.rejected", by="system:banned_words@2")
    record(c, ago(hours=4), "moderation.comment.held", by="system:links@1")
    record(c, ago(days=3), "moderation.comment.rejected")  # in the week only
    record(c, ago(hours=5), "moderation.comment.rejected", by="mina")  # a moderator's
    record(c, ago(hours=6), "moderation.comment.rejected", by="system:author_standing", frm="in_review")

    assert period("24h")["auto"] == {
        "total": 4,
        "approved": {"count": 2, "share": 0.5},
        "rejected": {"count": 1, "share": 0.25},
        "review": {"count": 1, "share": 0.25},
    }
    assert period("7d")["auto"]["rejected"] == {"count": 2, "share": 0.4}


def test_auto_shares_are_null_without_decisions(article):
    assert period("24h")["auto"]["approved"] == {"count": 0, "share": None}


# Queue depth


def test_queue_depth_and_oldest_age_now(article):
    item(post(article, ago(hours=3)), ago(hours=2))
    item(post(article, ago(hours=3)), ago(minutes=30))
    item(post(article, ago(hours=3)), ago(minutes=10), queue="reported")
    item(post(article, ago(hours=9)), ago(hours=8), decided_at=ago(hours=1))

    assert stats.figures(now=NOW)["queues"] == {
        "notices": {"depth": 0, "oldest_age_seconds": None},
        "premod": {"depth": 2, "oldest_age_seconds": 7200},
        "reported": {"depth": 1, "oldest_age_seconds": 600},
        "escalated": {"depth": 0, "oldest_age_seconds": None},
        "appeals": {"depth": 0, "oldest_age_seconds": None},
    }


def test_depth_per_hour_is_the_depth_at_the_end_of_each_hour(article):
    item(post(article, ago(hours=4)), ago(hours=3, minutes=15), decided_at=ago(minutes=60))  # 09:15-11:30
    item(post(article, ago(hours=4)), ago(hours=1, minutes=45))  # 10:45, open
    item(post(article, ago(hours=4)), ago(minutes=60), queue="escalated")  # 11:30, open

    depths = {row["hour"].hour: row for row in period("24h")["depth_per_hour"]}

    assert [(depths[h]["premod"], depths[h]["escalated"]) for h in (8, 9, 10, 11, 12)] == [
        (0, 0),
        (1, 0),
        (2, 0),
        (1, 1),
        (1, 1),
    ]


# Queries


def test_the_figures_take_five_queries_however_much_happened(article, django_assert_num_queries):
    for hours in range(1, 30, 3):
        c = post(article, ago(hours=hours + 1))
        record(c, ago(hours=hours), "moderation.comment.held")
        record(c, ago(hours=hours - 1), "moderation.comment.approved", by="mina", frm="in_review")
        item(c, ago(hours=hours), decided_at=ago(hours=hours - 1))

    with django_assert_num_queries(5):
        stats.figures(now=NOW)


# The page


def _bars(html: str) -> dict:
    return {
        hour: (int(system), int(moderators))
        for hour, system, moderators in re.findall(
            r'<g class="bar" data-hour="([\d:]+)" data-system="(\d+)" data-moderators="(\d+)">', html
        )
    }


def test_the_partial_draws_a_stacked_bar_per_hour(article):
    c = post(article, ago(days=1))
    record(c, ago(minutes=80), "moderation.comment.approved")
    record(c, ago(minutes=70), "moderation.comment.approved", by="mina", frm="in_review")
    record(c, ago(minutes=25), "moderation.comment.held")
    record(c, ago(minutes=24), "moderation.comment.rejected", by="mina", frm="in_review")
    record(c, ago(minutes=23), "moderation.comment.rejected", by="mina", frm="in_review")

    html = render_to_string("moderation/_dashboard.html", {"stats": charts.dashboard(now=NOW)})

    bars = _bars(html)
    assert len(bars) == 24
    assert bars["11:00"] == (1, 1) and bars["12:00"] == (1, 2) and bars["10:00"] == (0, 0)
    assert html.count('<rect class="system"') == 2 and html.count('<rect class="moderators"') == 2


def test_bars_are_scaled_to_the_busiest_hour(article):
    c = post(article, ago(days=1))
    for minutes in (10, 11, 12):
        record(c, ago(minutes=minutes), "moderation.comment.approved")

    html = render_to_string("moderation/_dashboard.html", {"stats": charts.dashboard(now=NOW)})

    # 3 decisions fill the plot (172 units high, from y=12 to y=184).
    assert re.search(r'<rect class="system" x="[\d.]+" y="12.0" width="[\d.]+" height="172.0"/>', html)


def test_the_partial_has_titles_and_tables_and_no_outside_address(article):
    html = render_to_string("moderation/_dashboard.html", {"stats": charts.dashboard(now=NOW)})

    assert html.count("<svg") == 2
    assert '<title id="decisions-chart-title">Decisions per hour, last 24 hours</title>' in html
    assert html.count('<table class="chart-table">') == 2
    assert html.count('<polyline class="line') == 5  # one per queue
    assert "http://" not in html and "https://" not in html and "//" not in html.replace("<!--", "")


def test_the_dashboard_page_shows_the_dashboard_and_the_queue_page_does_not(client, mod):
    client.force_login(mod)

    html = client.get("/moderation/dashboard/").content.decode()

    assert 'class="chart decisions-chart"' in html
    assert 'class="chart decisions-chart"' not in client.get("/moderation/").content.decode()


# The API


@pytest.fixture
def api():
    return APIClient()


def test_stats_need_credentials(api):
    assert api.get("/api/v1/moderation/stats/").status_code == 401


def test_stats_are_for_moderators_only(api):
    api.force_authenticate(UserFactory())

    assert api.get("/api/v1/moderation/stats/").status_code == 403


def test_stats_give_the_figures_as_json(api, mod, article):
    item(post(article, ago(hours=1)), ago(minutes=30))
    api.force_authenticate(mod)

    body = api.get("/api/v1/moderation/stats/").json()

    assert body["queues"]["premod"]["depth"] == 1
    assert set(body["periods"]) == {"24h", "7d"}
    assert set(body["periods"]["24h"]) == {
        "start",
        "decisions",
        "time_to_decision_seconds",
        "auto",
        "decisions_per_hour",
        "depth_per_hour",
    }
    assert len(body["periods"]["7d"]["depth_per_hour"]) == 168
    assert body["periods"]["24h"]["depth_per_hour"][-1]["premod"] == 1


def test_stats_are_described_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/moderation/stats/" in schema and "time_to_decision_seconds" in schema


def test_the_figures_of_now_are_cached_for_half_a_minute(article, django_assert_num_queries):
    first = stats.figures()
    item(post(article, ago(hours=1)), ago(minutes=30))

    with django_assert_num_queries(0):
        again = stats.figures()

    assert again == first and again["queues"]["premod"]["depth"] == 0
