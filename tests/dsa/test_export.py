"""The staff's export of statements of reasons in the EU Transparency Database's fields."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from dsa.grounds import TDB_FIELDS
from dsa.models import Statement
from dsa.statements import clause
from tests.factories import UserFactory, clock, moderator

pytestmark = pytest.mark.django_db
S = Statement
URL = "/api/v1/moderation/statements/export/?from=2026-03-01&to=2026-03-31"
# The fields the database requires of every statement (its API documentation, "Statement Attributes").
REQUIRED = [
    "decision_ground", "category", "content_type", "territorial_scope", "content_date", "application_date",
    "decision_facts", "source_type", "automated_detection", "automated_decision", "puid",
]  # fmt: skip


def statement(
    at,
    decision=S.Decision.CONTENT_REMOVED,
    ground=S.Ground.INCOMPATIBLE_CONTENT,
    source=S.Source.OWN_INITIATIVE,
    **extra,
):
    with clock(at):
        return Statement.objects.create(
            user=UserFactory(), decision=decision, ground=ground,
            clause=clause("spam") if ground == S.Ground.INCOMPATIBLE_CONTENT else None,
            legal_ground="Defamation under national civil and criminal law" if ground == S.Ground.ILLEGAL_CONTENT else "",
            explanation="A moderator decided that it is spam.", facts="Comment 1 was reviewed by a moderator.",
            category="STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", source=source,
            automated_detection=True, automated_decision=S.Automation.NOT_AUTOMATED, content_date=at - timedelta(days=1),
            **extra,
        )  # fmt: skip


@pytest.fixture
def period():
    march = datetime(2026, 3, 10, 12, tzinfo=UTC)
    made = {
        "removed": statement(march),
        "illegal": statement(march, ground=S.Ground.ILLEGAL_CONTENT, source=S.Source.NOTICE),
        "suspended": statement(
            march, decision=S.Decision.ACCOUNT_SUSPENDED, end_date=march + timedelta(days=7)
        ),
    }
    statement(march, withdrawn_at=march)  # undone: never in force
    statement(march, decision=S.Decision.NO_ACTION, ground="")  # restricts nobody
    statement(march + timedelta(days=30))  # April
    return made


@pytest.fixture
def staff():
    client = APIClient()
    client.force_authenticate(moderator())
    return client


def rows_of_jsonl(response) -> list[dict]:
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def test_the_export_columns_are_the_transparency_databases_field_list(staff, period):
    as_csv = b"".join(staff.get(URL).streaming_content).decode()
    as_jsonl = rows_of_jsonl(staff.get(URL + "&as=jsonl"))

    assert next(csv.reader(io.StringIO(as_csv))) == TDB_FIELDS
    assert all(list(row) == TDB_FIELDS for row in as_jsonl)
    assert set(REQUIRED) <= set(TDB_FIELDS)
    assert len(TDB_FIELDS) == len(set(TDB_FIELDS)) == 34


def test_the_export_fills_what_the_database_requires_of_every_statement(staff, period):
    rows = rows_of_jsonl(staff.get(URL + "&as=jsonl"))

    assert len(rows) == 3
    assert all(row[field] not in (None, "", []) for row in rows for field in REQUIRED)
    by_puid = {row["puid"]: row for row in rows}
    assert {str(s.puid) for s in period.values()} == set(by_puid)


def test_the_export_names_the_clause_or_the_law_and_the_accounts_end(staff, period):
    rows = {row["puid"]: row for row in rows_of_jsonl(staff.get(URL + "&as=jsonl"))}
    removed, illegal, suspended = (rows[str(period[k].puid)] for k in ("removed", "illegal", "suspended"))

    assert removed["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert removed["incompatible_content_ground"].endswith("No spam or advertising")
    assert removed["decision_ground_reference_url"].endswith("/guidelines/v1/#spam")
    assert removed["illegal_content_legal_ground"] is None
    assert illegal["illegal_content_legal_ground"] == "Defamation under national civil and criminal law"
    assert illegal["source_type"] == "SOURCE_ARTICLE_16"
    assert (suspended["decision_account"], suspended["end_date_account_restriction"]) == (
        "DECISION_ACCOUNT_SUSPENDED",
        "2026-03-17",
    )
    assert suspended["decision_visibility"] == []
    assert (removed["application_date"], removed["content_date"]) == ("2026-03-10", "2026-03-09")
    assert "DE" in removed["territorial_scope"] and "NO" in removed["territorial_scope"]


def test_the_csv_writes_lists_as_json_arrays(staff, period):
    body = b"".join(staff.get(URL).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))

    assert len(rows) == 3
    assert {json.loads(row["content_type"])[0] for row in rows} == {"CONTENT_TYPE_TEXT"}


def test_the_export_is_a_download(staff, period):
    response = staff.get(URL + "&as=jsonl")

    assert response["Content-Type"] == "application/jsonl"
    assert 'filename="statements-of-reasons-2026-03-01-2026-03-31.jsonl"' in response["Content-Disposition"]


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("reader", 403), ("staff", 200)])
def test_only_moderators_and_staff_export(who, status):
    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(UserFactory(is_staff=who == "staff"))

    assert client.get(URL).status_code == status


def test_an_unknown_format_is_refused(staff):
    assert staff.get(URL + "&as=xml").status_code == 400
