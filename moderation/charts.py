"""The dashboard's page: the figures of stats.py as tables, bars and lines (SVG drawn by the template)."""

import math
from datetime import datetime, timedelta

from django.utils import timezone

from .models import ReviewItem
from .stats import QUEUES, figures


def dashboard(*, now: datetime | None = None) -> dict:
    """The figures with what the page draws from them: tables, bars and lines of the last 24 hours."""
    data = figures(now=now)
    day, week = data["periods"]["24h"], data["periods"]["7d"]
    return {
        **data,
        "queue_rows": [
            {
                "queue": q,
                "label": ReviewItem.Queue(q).label,
                "depth": data["queues"][q]["depth"],
                "oldest": duration(data["queues"][q]["oldest_age_seconds"]),
            }
            for q in QUEUES
        ],
        "summary_rows": _summary_rows(day, week),
        "decisions_chart": _bar_chart(day["decisions_per_hour"]),
        "depth_chart": _line_chart(day["depth_per_hour"]),
    }


def _summary_rows(day: dict, week: dict) -> list[dict]:
    def share(period: dict, key: str) -> str:
        outcome = period["auto"][key]
        return "—" if outcome["share"] is None else f"{outcome['share']:.0%} ({outcome['count']})"

    rows = [
        ("Decisions by the system", lambda p: str(p["decisions"]["system"])),
        ("Decisions by moderators", lambda p: str(p["decisions"]["moderators"])),
        ("Posting to decision, median (p50)", lambda p: duration(p["time_to_decision_seconds"]["p50"])),
        ("Posting to decision, p95", lambda p: duration(p["time_to_decision_seconds"]["p95"])),
        ("Approved automatically", lambda p: share(p, "approved")),
        ("Rejected automatically", lambda p: share(p, "rejected")),
        ("Sent to review automatically", lambda p: share(p, "review")),
    ]
    return [{"label": label, "day": value(day), "week": value(week)} for label, value in rows]


def duration(seconds: float | None) -> str:
    """Seconds as people read them ("3 h 20 min"); "—" for none."""
    if seconds is None:
        return "—"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


# Chart geometry, in the SVG's own units; the template only places what is computed here.
WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 36
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _scale(maximum: int) -> tuple[int, list[dict]]:
    """A top value of 1, 2 or 5 times a power of ten, and up to five gridlines from 0 to it."""
    maximum = max(1, maximum)
    step = 1
    while step * 4 < maximum:
        for factor in (2, 2.5, 2):  # 1, 2, 5, 10, 20, 50, ...
            step = int(step * factor)
            if step * 4 >= maximum:
                break
    top = step * math.ceil(maximum / step)
    ticks = [{"value": v, "y": _fmt(TOP + PLOT_H - PLOT_H * v / top)} for v in range(0, top + 1, step)]
    return top, ticks


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _hour_label(hour: datetime) -> str:
    return timezone.localtime(hour).strftime("%H:%M")


def _x_labels(count: int, slot: float) -> list[dict]:
    return [
        {"x": _fmt(LEFT + slot * (i + 0.5)), "index": i} for i in range(count) if i % 3 == 0 or i == count - 1
    ]


def _frame(rows: list[dict], top: int, ticks: list[dict]) -> dict:
    slot = PLOT_W / len(rows)
    labels = _x_labels(len(rows), slot)
    for label in labels:
        label["text"] = _hour_label(rows[label.pop("index")]["hour"])
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + PLOT_H,
        "label_x": LEFT - 6,
        "label_y": TOP + PLOT_H + 16,
        "axis_title_y": HEIGHT - 5,
        "middle": LEFT + PLOT_W / 2,
        "max": top,
        "ticks": ticks,
        "x_labels": labels,
    }


def _bar_chart(rows: list[dict]) -> dict:
    """Stacked bars of decisions per hour: the system's at the bottom, moderators' above."""
    top, ticks = _scale(max(row["system"] + row["moderators"] for row in rows))
    slot = PLOT_W / len(rows)
    width = slot * 0.7
    bottom = TOP + PLOT_H
    bars = []
    for i, row in enumerate(rows):
        system_h = PLOT_H * row["system"] / top
        moderators_h = PLOT_H * row["moderators"] / top
        start, end = _hour_label(row["hour"]), _hour_label(row["hour"] + timedelta(hours=1))
        bars.append(
            {
                "hour": start,
                "span": f"{start}–{end}",
                "system": row["system"],
                "moderators": row["moderators"],
                "x": _fmt(LEFT + slot * i + (slot - width) / 2),
                "width": _fmt(width),
                "system_y": _fmt(bottom - system_h),
                "system_h": _fmt(system_h),
                "moderators_y": _fmt(bottom - system_h - moderators_h),
                "moderators_h": _fmt(moderators_h),
            }
        )
    return {
        **_frame(rows, top, ticks),
        "bars": bars,
        "system": sum(row["system"] for row in rows),
        "moderators": sum(row["moderators"] for row in rows),
    }


def _line_chart(rows: list[dict]) -> dict:
    """One line per queue: its depth at the end of each hour."""
    top, ticks = _scale(max(row[q] for row in rows for q in QUEUES))
    slot = PLOT_W / len(rows)
    lines = [
        {
            "queue": q,
            "points": " ".join(
                f"{_fmt(LEFT + slot * (i + 0.5))},{_fmt(TOP + PLOT_H - PLOT_H * row[q] / top)}"
                for i, row in enumerate(rows)
            ),
            "now": rows[-1][q],
            "peak": max(row[q] for row in rows),
        }
        for q in QUEUES
    ]
    table = [{"hour": _hour_label(row["hour"]), "depths": [row[q] for q in QUEUES]} for row in rows]
    return {**_frame(rows, top, ticks), "lines": lines, "queues": QUEUES, "rows": table}
