"""The figures of a period that the Act asks a platform to publish (Art. 15 and 24): notices,
actions taken, appeals, the automated checks' error rate, suspensions and bans.

Every figure comes from rows already written (notices, statements, appeals, audit records,
sanctions), in ten queries whatever the period. Medians are taken in Python over the period's
decided notices and appeals: a newsroom receives hundreds a year, not millions.
"""

import statistics
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from comments import audit
from comments.models import AuditRecord, Comment
from moderation.charts import duration
from moderation.models import Sanction

from .models import Appeal, Notice, Statement

CACHE_SECONDS = 300
AUTOMATED = {audit.COMMENT_REJECTED: "rejections", audit.COMMENT_HELD: "holds"}


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period from the start of `start` to the end of `end`, in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _median_seconds(pairs) -> float | None:
    seconds = [(done - began).total_seconds() for began, done in pairs]
    return round(statistics.median(seconds), 1) if seconds else None


def _counts(rows, field: str, keys) -> dict:
    found = {row[field]: row["n"] for row in rows.values(field).annotate(n=Count("id")).order_by()}
    return {key: found.get(key, 0) for key in keys}


def figures(*, start: date, end: date) -> dict:
    """The period's figures (cached for CACHE_SECONDS: the page is public)."""
    key = f"dsa:transparency:{start.isoformat()}:{end.isoformat()}"
    data = cache.get(key)
    if data is None:
        data = _figures(start, end)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _figures(start: date, end: date) -> dict:
    since, until = period_bounds(start, end)
    return {
        "from": start,
        "to": end,
        "generated_at": timezone.now(),
        "notices": _notices(since, until),
        "actions": _actions(since, until),
        "appeals": _appeals(since, until),
        "automated": _automated(since, until),
        "sanctions": _counts(
            Sanction.objects.filter(created_at__gte=since, created_at__lt=until),
            "kind",
            [Sanction.Kind.SUSPEND.value, Sanction.Kind.BAN.value],
        ),
    }


def _notices(since: datetime, until: datetime) -> dict:
    received = Notice.objects.filter(created_at__gte=since, created_at__lt=until)
    decided = Notice.objects.filter(decided_at__gte=since, decided_at__lt=until)
    by_category = _counts(received, "category", Notice.Category.values)
    return {
        "received": sum(by_category.values()),
        "by_category": by_category,
        "from_trusted_flaggers": received.filter(by_trusted_flagger=True).count(),
        "decided": _counts(decided, "outcome", Notice.Outcome.values),
        "median_seconds_to_decision": _median_seconds(decided.values_list("created_at", "decided_at")),
    }


def _actions(since: datetime, until: datetime) -> dict:
    statements = Statement.objects.filter(
        created_at__gte=since, created_at__lt=until, withdrawn_at=None
    ).exclude(decision=Statement.Decision.NO_ACTION)
    rows = list(
        statements.values("decision", "ground", "automated_decision", "source", "automated_detection")
        .annotate(n=Count("id"))
        .order_by()
    )

    def by(field: str, keys) -> dict:
        return {key: sum(r["n"] for r in rows if r[field] == key) for key in keys}

    restrictions = [d for d in Statement.Decision.values if d != Statement.Decision.NO_ACTION]
    return {
        "total": sum(r["n"] for r in rows),
        "by_decision": by("decision", restrictions),
        "by_ground": by("ground", Statement.Ground.values),
        "by_automation": by("automated_decision", Statement.Automation.values),
        "by_source": by("source", Statement.Source.values),
        "automated_detection": sum(r["n"] for r in rows if r["automated_detection"]),
    }


def _appeals(since: datetime, until: datetime) -> dict:
    decided = Appeal.objects.filter(decided_at__gte=since, decided_at__lt=until)
    outcomes = _counts(decided, "outcome", Appeal.Outcome.values)
    return {
        "received": Appeal.objects.filter(created_at__gte=since, created_at__lt=until).count(),
        "decided": sum(outcomes.values()),
        "reversed": outcomes[Appeal.Outcome.REVERSED],
        "upheld": outcomes[Appeal.Outcome.UPHELD],
        "median_seconds_to_decision": _median_seconds(decided.values_list("created_at", "decided_at")),
    }


def _automated(since: datetime, until: datetime) -> dict:
    """The checks' decisions on new comments in the period, and how many a moderator reversed
    since (a refused or held comment that a person later approved): the checks' error rate."""
    approved_later = AuditRecord.objects.filter(
        comment=OuterRef("comment"), pk__gt=OuterRef("pk"), to_status=Comment.Status.APPROVED
    ).exclude(audit.BY_SYSTEM)
    rows = (
        AuditRecord.objects.filter(
            audit.BY_SYSTEM,
            created_at__gte=since,
            created_at__lt=until,
            from_status=Comment.Status.PENDING,
            action__in=list(AUTOMATED),
        )
        .annotate(reversed=Exists(approved_later))
        .values("action")
        .annotate(n=Count("id"), reversed_n=Count("id", filter=Q(reversed=True)))
        .order_by()
    )
    found = {AUTOMATED[row["action"]]: row for row in rows}
    result = {}
    for name in AUTOMATED.values():
        row = found.get(name, {"n": 0, "reversed_n": 0})
        result[name] = {"count": row["n"], "reversed_by_moderators": row["reversed_n"]}
    total = sum(r["count"] for r in result.values())
    reversed_n = sum(r["reversed_by_moderators"] for r in result.values())
    result["error_rate"] = round(reversed_n / total, 4) if total else None
    return result


def _labelled(choices, counts: dict) -> list[tuple[str, int]]:
    return [(label, counts[value]) for value, label in choices if value in counts]


def tables(data: dict) -> list[dict]:
    """The figures as the transparency page's tables: a caption and (label, value) rows each."""
    return [*_notice_tables(data["notices"]), *_action_tables(data["actions"]), *_other_tables(data)]


def _notice_tables(notices: dict) -> list[dict]:
    received = [
        ("All notices", notices["received"]),
        ("From trusted flaggers", notices["from_trusted_flaggers"]),
    ]
    median = ("Median time to decision", duration(notices["median_seconds_to_decision"]))
    return [
        {
            "caption": "Notices of illegal content received, by category",
            "rows": [*_labelled(Notice.Category.choices, notices["by_category"]), *received],
        },
        {
            "caption": "Notices decided",
            "rows": [*_labelled(Notice.Outcome.choices, notices["decided"]), median],
        },
    ]


def _action_tables(actions: dict) -> list[dict]:
    found = ("Content found by our automated checks", actions["automated_detection"])
    return [
        {
            "caption": "Restrictions, by what was restricted",
            "rows": [
                *_labelled(Statement.Decision.choices, actions["by_decision"]),
                ("All restrictions", actions["total"]),
            ],
        },
        {
            "caption": "Restrictions, by ground",
            "rows": _labelled(Statement.Ground.choices, actions["by_ground"]),
        },
        {
            "caption": "Restrictions, by how they were decided",
            "rows": [*_labelled(Statement.Automation.choices, actions["by_automation"]), found],
        },
        {
            "caption": "Restrictions, by what prompted them",
            "rows": _labelled(Statement.Source.choices, actions["by_source"]),
        },
    ]


def _other_tables(data: dict) -> list[dict]:
    appeals, automated, sanctions = data["appeals"], data["automated"], data["sanctions"]
    rate = automated["error_rate"]
    return [
        {
            "caption": "Appeals",
            "rows": [
                ("Received", appeals["received"]),
                ("Decided", appeals["decided"]),
                ("Decisions reversed", appeals["reversed"]),
                ("Decisions upheld", appeals["upheld"]),
                ("Median time to decision", duration(appeals["median_seconds_to_decision"])),
            ],
        },
        {
            "caption": "Automated checks on new comments, and how often moderators reversed them",
            "rows": [
                ("Refused", automated["rejections"]["count"]),
                ("Refused, then published by a moderator", automated["rejections"]["reversed_by_moderators"]),
                ("Held for a moderator", automated["holds"]["count"]),
                ("Held, then published by a moderator", automated["holds"]["reversed_by_moderators"]),
                ("Error rate", "—" if rate is None else f"{rate:.1%}"),
            ],
        },
        {
            "caption": "Accounts",
            "rows": [
                ("Suspensions", sanctions[Sanction.Kind.SUSPEND]),
                ("Bans", sanctions[Sanction.Kind.BAN]),
            ],
        },
    ]
