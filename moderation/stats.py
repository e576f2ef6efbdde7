"""The dashboard's figures: queue state now, over the last 24 hours and 7 days.

Computed from the review items and the audit records (no snapshots), in five queries however
much happened:

1. depth and oldest open item per queue now (the partial index `review_open_by_age`);
2. decisions per hour by actor and the automated outcomes (AuditRecord.created_at is indexed);
3. time from posting to decision, p50 and p95 (`percentile_cont` in PostgreSQL; elsewhere in
   Python over the first decisions of the last 7 days);
4. and 5. review items created and decided per hour, which walk today's depths back in time.

Measured with 200,000 comments, 600,000 audit records and 200,000 review items on PostgreSQL
(2 shared cores): 250-320 ms, 190 of them for the time to decision (an anti-join over the
decisive records). So the figures for "now" are cached for CACHE_SECONDS: moderators reload the
page after every decision made without JavaScript, and the page says when the figures were taken.

Periods are whole clock hours, so the bars of a period add up to its totals: "24h" is the
current hour (up to now) and the 23 before it, "7d" the current hour and the 167 before it.

Words used below:

- A *decision* is an audit record whose action is `moderation.comment.approved`, `.rejected`,
  `.held` (the checks sent a comment to review) or `.escalated`: what the checks decide about a
  pending comment and what a moderator decides about an item in any queue or from a thread
  (a reported comment approved again counts too). Edits, deletions, reader reports and
  withholding by flags are not decisions; an undone decision still counts, and its undo does not.
- The *system* is an actor named "system" or "system:<check>@<version>"; everyone else is a
  moderator (people cannot have a colon in their username).
- *Time to decision* runs from a comment's `created_at` to its first approval or rejection by
  anyone (a hold is not one), for comments whose first such decision falls in the period.
- *Automated* outcomes are the system's decisions on pending comments (one per check run, so an
  edited comment checked again counts again): approved, rejected, or sent to review (held).
- *Depth* at a time t is the number of items created before t and not decided before t. It is
  rebuilt from today's open items and the items created and decided since, so an item that was
  deleted (an escalation undone, a deleted comment) or whose decision was undone is missing
  from the past depths.
"""

import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncHour
from django.utils import timezone

from comments import audit
from comments.models import AuditRecord, Comment

from .models import ReviewItem

PERIODS = {"24h": 24, "7d": 7 * 24}
QUEUES = tuple(ReviewItem.Queue.values)
DECISIONS = (audit.COMMENT_APPROVED, audit.COMMENT_REJECTED, audit.COMMENT_HELD, audit.COMMENT_ESCALATED)
DECIDED = DECISIONS[:2]  # approvals and rejections end the time to decision
AUTO_OUTCOMES = {
    audit.COMMENT_APPROVED: "approved",
    audit.COMMENT_REJECTED: "rejected",
    audit.COMMENT_HELD: "review",
}
BY_SYSTEM = audit.BY_SYSTEM
CACHE_KEY, CACHE_SECONDS = "moderation:stats", 30


def figures(*, now: datetime | None = None) -> dict:
    """The figures of the dashboard and of GET /api/v1/moderation/stats/, as plain data.

    Without `now`, the figures of at most CACHE_SECONDS ago (`generated_at` says when).
    """
    if now is not None:
        return _figures(now)
    data = cache.get(CACHE_KEY)
    if data is None:
        data = _figures(timezone.now())
        cache.set(CACHE_KEY, data, CACHE_SECONDS)
    return data


def _figures(now: datetime) -> dict:
    # Hours start where TruncHour starts them (the current time zone); step in UTC so a change
    # to or from summer time does not shift them.
    this_hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    hours = [this_hour - timedelta(hours=n) for n in range(max(PERIODS.values()) - 1, -1, -1)]
    starts = {name: hours[-count] for name, count in PERIODS.items()}

    queues = _queues_now(now)
    decided, auto = _decisions_by_hour(since=hours[0], now=now)
    percentiles = _time_to_decision(starts=starts, now=now)
    depths = _depth_by_hour(hours, depth_now={q: queues[q]["depth"] for q in QUEUES}, now=now)

    periods = {}
    for name, count in PERIODS.items():
        span = hours[-count:]
        per_hour = [{"hour": hour, **decided[hour]} for hour in span]
        outcomes = {key: sum(auto[hour][key] for hour in span) for key in AUTO_OUTCOMES.values()}
        total = sum(outcomes.values())
        periods[name] = {
            "start": starts[name],
            "decisions": {
                "system": sum(row["system"] for row in per_hour),
                "moderators": sum(row["moderators"] for row in per_hour),
            },
            "time_to_decision_seconds": percentiles[name],
            "auto": {
                "total": total,
                **{
                    key: {"count": n, "share": round(n / total, 4) if total else None}
                    for key, n in outcomes.items()
                },
            },
            "decisions_per_hour": per_hour,
            "depth_per_hour": [{"hour": hour, **depths[hour]} for hour in span],
        }
    return {"generated_at": now, "queues": queues, "periods": periods}


def _queues_now(now: datetime) -> dict:
    rows = (
        ReviewItem.objects.filter(decided_at__isnull=True)
        .values("queue")
        .annotate(depth=Count("id"), oldest=Min("created_at"))
        .order_by()
    )
    queues = {q: {"depth": 0, "oldest_age_seconds": None} for q in QUEUES}
    for row in rows:
        age = max(0, int((now - row["oldest"]).total_seconds()))
        queues[row["queue"]] = {"depth": row["depth"], "oldest_age_seconds": age}
    return queues


def _decisions_by_hour(*, since: datetime, now: datetime) -> tuple[dict, dict]:
    """Decisions per hour by actor, and the automated outcomes per hour."""
    rows = (
        AuditRecord.objects.filter(created_at__gte=since, created_at__lte=now, action__in=DECISIONS)
        .annotate(
            hour=TruncHour("created_at"),
            by_system=Case(
                When(BY_SYSTEM, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .values("hour", "by_system", "action", "from_status")
        .annotate(n=Count("id"))
        .order_by()  # the model's ordering would split the groups
    )
    decided = defaultdict(lambda: {"system": 0, "moderators": 0})
    auto = defaultdict(lambda: dict.fromkeys(AUTO_OUTCOMES.values(), 0))
    for row in rows:
        hour = row["hour"].astimezone(UTC)
        decided[hour]["system" if row["by_system"] else "moderators"] += row["n"]
        if (
            row["by_system"]
            and row["from_status"] == Comment.Status.PENDING
            and row["action"] in AUTO_OUTCOMES
        ):
            auto[hour][AUTO_OUTCOMES[row["action"]]] += row["n"]
    return decided, auto


class _PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class _Seconds(Func):
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)"
    output_field = FloatField()


def _time_to_decision(*, starts: dict[str, datetime], now: datetime) -> dict:
    """p50 and p95 of the seconds from posting to first approval or rejection, per period."""
    earlier = AuditRecord.objects.filter(
        comment=OuterRef("comment"), action__in=DECIDED, pk__lt=OuterRef("pk")
    )
    firsts = AuditRecord.objects.filter(
        created_at__gte=min(starts.values()), created_at__lte=now, action__in=DECIDED
    ).filter(~Exists(earlier))
    fractions = {"p50": 0.5, "p95": 0.95}
    if connection.vendor == "postgresql":
        seconds = _Seconds(F("created_at") - F("comment__created_at"))
        result = firsts.aggregate(
            **{
                f"{name}_{key}": _PercentileCont(seconds, fraction=fraction, filter=Q(created_at__gte=start))
                for name, start in starts.items()
                for key, fraction in fractions.items()
            },
            **{
                f"{name}_count": Count("id", filter=Q(created_at__gte=start))
                for name, start in starts.items()
            },
        )
        return {
            name: {
                **{key: _round(result[f"{name}_{key}"]) for key in fractions},
                "count": result[f"{name}_count"],
            }
            for name in starts
        }
    # Elsewhere (SQLite) in Python, over the first decisions of the longest period.
    pairs = list(firsts.values_list("created_at", "comment__created_at"))
    figures = {}
    for name, start in starts.items():
        durations = sorted((at - posted).total_seconds() for at, posted in pairs if at >= start)
        figures[name] = {
            **{key: _round(_percentile(durations, fraction)) for key, fraction in fractions.items()},
            "count": len(durations),
        }
    return figures


def _percentile(ordered: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(max(0.0, seconds), 1)


def _depth_by_hour(hours: list[datetime], *, depth_now: dict[str, int], now: datetime) -> dict:
    """Each queue's depth at the end of each hour (at `now` for the current one)."""
    moves = defaultdict(lambda: defaultdict(int))  # hour -> queue -> items added minus removed
    for field, sign in (("created_at", 1), ("decided_at", -1)):
        rows = (
            ReviewItem.objects.filter(**{f"{field}__gte": hours[0], f"{field}__lte": now})
            .annotate(hour=TruncHour(field))
            .values("queue", "hour")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            moves[row["hour"].astimezone(UTC)][row["queue"]] += sign * row["n"]
    depths, depth = {}, dict(depth_now)
    for hour in reversed(hours):
        depths[hour] = {q: max(0, depth[q]) for q in QUEUES}
        for q in QUEUES:
            depth[q] -= moves[hour][q]
    return depths


# The page
