"""Statements of reasons in the Transparency Database's fields, ready to submit (Art. 24(5)):
CSV (lists as JSON arrays, as the database's own CSV dumps write them) or JSON lines.

Only restrictions in force or reversed are exported: a statement withdrawn by an undo never took
effect, and a decision of no action on a notice restricts nobody. No personal data goes out:
the facts and explanations name comments and articles, not readers.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date

from django.conf import settings

from . import grounds
from .models import Statement
from .transparency import period_bounds

D = Statement.Decision
ACCOUNT_DECISIONS = {D.ACCOUNT_SUSPENDED, D.ACCOUNT_TERMINATED}


def _day(moment) -> str | None:
    return moment.date().isoformat() if moment else None


def tdb_row(statement: Statement) -> dict:
    """One statement as the database's API takes it: every field of grounds.TDB_FIELDS."""
    on_account = statement.decision in ACCOUNT_DECISIONS
    illegal = statement.ground == Statement.Ground.ILLEGAL_CONTENT
    clause = statement.clause
    row = dict.fromkeys(grounds.TDB_FIELDS)
    row |= {
        "decision_visibility": [] if on_account else [statement.decision],
        "decision_account": statement.decision if on_account else None,
        "end_date_account_restriction": _day(statement.end_date) if on_account else None,
        "account_type": "ACCOUNT_TYPE_PRIVATE",
        "decision_ground": statement.ground,
        "decision_ground_reference_url": f"{settings.SITE_URL}{clause.get_absolute_url()}"
        if clause
        else None,
        "illegal_content_legal_ground": statement.legal_ground if illegal else None,
        "illegal_content_explanation": statement.explanation if illegal else None,
        "incompatible_content_ground": f"Community guidelines v{clause.version.number}, clause {clause.number}: "
        f"{clause.title}"
        if clause and not illegal
        else None,
        "incompatible_content_explanation": None if illegal else statement.explanation,
        "incompatible_content_illegal": None if illegal else "No",
        "category": statement.category,
        "category_addition": [],
        "category_specification": [],
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_date": _day(statement.content_date or statement.created_at),
        "territorial_scope": grounds.TERRITORIAL_SCOPE,
        "application_date": _day(statement.created_at),
        "decision_facts": statement.facts,
        "source_type": statement.source,
        "automated_detection": "Yes" if statement.automated_detection else "No",
        "automated_decision": statement.automated_decision,
        "puid": str(statement.puid),
    }
    return row


def statements(start: date, end: date):
    since, until = period_bounds(start, end)
    return (
        Statement.objects.filter(created_at__gte=since, created_at__lt=until, withdrawn_at=None)
        .exclude(decision=D.NO_ACTION)
        .select_related("clause__version")
        .order_by("created_at", "id")
    )


def as_jsonl(rows: Iterator[dict]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def as_csv(rows: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(grounds.TDB_FIELDS)
    for row in rows:
        writer.writerow(
            json.dumps(v, ensure_ascii=False) if isinstance(v, list) else ("" if v is None else v)
            for v in row.values()
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone when there was no row
