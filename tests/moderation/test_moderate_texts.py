import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from moderation import classifier
from moderation.models import ModerationSettings, WordListEntry
from moderation.training import KINDS

pytestmark = pytest.mark.django_db


def run(source: str) -> list[dict]:
    out = io.StringIO()
    call_command("moderate_texts", source, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def write(tmp_path, lines: list[str]) -> str:
    path = tmp_path / "texts.jsonl"
    path.write_bytes(b"".join(line.encode() + b"\n" for line in lines))
    return str(path)


def test_it_prints_one_decision_per_line_in_order(tmp_path):
    texts = [
        "Good point about the border.",
        "f.u.c.k you",
        "what an id10t",
        "Source: https://example.com/a",
        "what an idiot",
    ]
    source = write(tmp_path, [json.dumps({"text": t, "id": n}) for n, t in enumerate(texts)])

    lines = run(source)

    # "id10t" is read as the word it spells: judged as "what an idiot" is, a clear case.
    assert [line["decision"] for line in lines] == ["approve", "reject", "reject", "approve", "reject"]


def test_each_line_lists_every_check_with_name_verdict_score_explanation_and_version(tmp_path):
    lines = run(write(tmp_path, [json.dumps({"text": "Good point."})]))

    assert set(lines[0]) == {"decision", "kind", "model", "checks"}
    assert len(lines[0]["checks"]) == 11
    assert all({"name", "verdict", "score", "explanation", "version"} <= set(c) for c in lines[0]["checks"])


def test_each_line_gives_the_kind_score_language_and_model_version(tmp_path):
    lines = run(
        write(
            tmp_path,
            [
                json.dumps({"text": "Good point."}),
                json.dumps({"text": "Ты жалкое ничтожество, позорище редакции."}),
            ],
        )
    )

    held = lines[1]
    assert held["decision"] in {"review", "reject"}
    assert held["kind"] == "harassment"
    assert held["model"]["kind"] == "harassment"
    assert held["model"]["language"] == "ru"
    assert held["model"]["version"] == classifier.model().version
    assert lines[0]["model"]["score"] < 0.5 < held["model"]["score"]
    assert set(held["model"]["scores"]) == set(KINDS)


def test_the_harm_check_names_its_score_and_kind(tmp_path):
    [line] = run(write(tmp_path, [json.dumps({"text": "Ты жалкое ничтожество, позорище редакции."})]))

    harm = next(check for check in line["checks"] if check["name"] == "harm")
    assert harm["score"] == line["model"]["score"]
    assert harm["kind"] == "harassment"
    assert harm["explanation"].startswith(
        f"harassment {harm['score']} (ru, model {classifier.model().version})"
    )


def test_it_reads_stdin(monkeypatch):
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": "Fine."}\n{"text": "I will find you."}\n'))
    )

    lines = run("-")

    assert [line["decision"] for line in lines] == ["approve", "review"]


def test_a_bad_line_is_reported_in_place_and_the_command_fails(tmp_path):
    source = write(
        tmp_path, ['{"text": "Fine."}', "not json", '{"text": 5}', "[1]", '{"text": "Also fine."}']
    )
    out = io.StringIO()

    with pytest.raises(CommandError, match="3 of 5 line"):
        call_command("moderate_texts", source, stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line.get("decision") or line["line"] for line in lines] == ["approve", 2, 3, 4, "approve"]


def test_a_line_that_is_not_utf8_is_reported_in_place(tmp_path):
    path = tmp_path / "texts.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "Fine."}\n')
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("moderate_texts", str(path), stdout=out)

    assert json.loads(out.getvalue().splitlines()[0]) == {"line": 1, "error": "not UTF-8"}


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        call_command("moderate_texts", "/nonexistent/texts.jsonl", stdout=io.StringIO())


def test_it_writes_nothing(tmp_path, django_assert_max_num_queries):
    source = write(tmp_path, [json.dumps({"text": f"Comment {n}"}) for n in range(50)])

    with django_assert_max_num_queries(2):
        run(source)

    assert not ModerationSettings.objects.exists()


def test_it_uses_the_word_lists_as_saved_now(tmp_path):
    WordListEntry.objects.create(phrase="frobnicate", kind="suspect")

    assert run(write(tmp_path, [json.dumps({"text": "frobnicate it"})]))[0]["decision"] == "review"


def test_it_handles_more_lines_than_one_batch_in_order(tmp_path, monkeypatch):
    from moderation import policy
    from moderation.management.commands import moderate_texts

    monkeypatch.setattr(policy, "BATCH_SIZE", 4)
    monkeypatch.setattr(moderate_texts, "BATCH_SIZE", 4)
    texts = ["Fine words." if n % 3 else "f u c k" for n in range(10)]

    lines = run(write(tmp_path, [json.dumps({"text": t}) for t in texts]))

    assert [line["decision"] for line in lines] == ["reject" if n % 3 == 0 else "approve" for n in range(10)]
