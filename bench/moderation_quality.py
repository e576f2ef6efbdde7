"""Benchmark: how much harm the automated checks hold, per kind and per language, and how many innocent texts.

    python bench/moderation_quality.py    (BENCH_SHOW=1 also lists the tuning split's misses; BENCH_SPLIT=tuning runs only it)

Runs the two splits in moderation/training/ through the same checks and policy as
`manage.py moderate_texts` (each text as a comment by an established commenter in good standing,
with the word lists the migrations install; a fresh SQLite database unless DATABASE_URL is set):
`tune.tsv`, on which the model's choices and thresholds were tuned, and `test.tsv`, written and
frozen before any tuning (its sha256 is printed, so a changed file shows) and never tuned on. A
harmful text counts as held when the decision is review or reject; an innocent one is wrongly held
when it is anything but approve. Only the tuning split's misses may be listed: looking at the test
split's would make it a second tuning split.
"""

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/quality.sqlite3")
os.environ.setdefault("REDIS_URL", "")
os.environ.setdefault("LOG_LEVEL", "WARNING")
TARGET_HELD, TARGET_KIND, TARGET_INNOCENT = 90.0, 80.0, 2.0


def report(name: str, rows: list[tuple[str, str, str]], decisions: list, *, show: bool) -> None:
    groups, languages = Counter(), Counter()
    held = Counter()
    totals = Counter()
    for (group, language, text), decision in zip(rows, decisions, strict=True):
        harmful = not group.startswith("innocent")
        is_held = decision.decision != "approve"
        groups[group] += 1
        held[group] += is_held
        side = "harmful" if harmful else "innocent"
        languages[side, language] += 1
        held[side, language] += is_held
        totals[side] += 1
        totals[side, "held"] += is_held
        if show and is_held != harmful:
            why = f"{decision.decision} by {decision.deciding.explanation}" if is_held else "missed"
            print(f"    {why}: [{group} {language}] {text}")
    print(f"\n== {name} split: {len(rows)} texts ==")
    print(f"{'group':<22}{'texts':>6}{'held':>6}{'held %':>8}")
    for group in sorted(groups):
        print(f"{group:<22}{groups[group]:>6}{held[group]:>6}{100 * held[group] / groups[group]:>7.1f}%")
    print(f"{'by language':<22}{'harmful held':>16}{'innocent held':>16}")
    for language in sorted({lang for _, lang in languages}):
        cells = []
        for side in ("harmful", "innocent"):
            n = languages[side, language]
            cells.append(f"{held[side, language]}/{n} {100 * held[side, language] / n:.0f}%" if n else "-")
        print(f"{language:<22}{cells[0]:>16}{cells[1]:>16}")
    harmful = 100 * totals["harmful", "held"] / totals["harmful"]
    wrongly = 100 * totals["innocent", "held"] / totals["innocent"]
    worst = min((100 * held[g] / groups[g], g) for g in groups if not g.startswith("innocent"))
    print(
        f"harmful held: {totals['harmful', 'held']}/{totals['harmful']} = {harmful:.1f}% (goal ≥ {TARGET_HELD}%); "
        f"weakest kind {worst[1]} {worst[0]:.1f}% (goal ≥ {TARGET_KIND}%)\n"
        f"innocent held: {totals['innocent', 'held']}/{totals['innocent']} = {wrongly:.1f}% (goal ≤ {TARGET_INNOCENT}%)"
    )


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from moderation.classifier import model
    from moderation.policy import evaluate_texts
    from moderation.training import TEST_SPLIT, TUNE_SPLIT, sha256, split

    call_command("migrate", verbosity=0)
    print(f"model {model().version}; test split sha256 {sha256(TEST_SPLIT)}")
    splits = [("tuning", TUNE_SPLIT, os.environ.get("BENCH_SHOW") == "1"), ("test", TEST_SPLIT, False)]
    # BENCH_SPLIT=tuning while tuning: the test split is run once, at the end.
    for name, path, show in [s for s in splits if os.environ.get("BENCH_SPLIT", s[0]) == s[0]]:
        rows = split(path)
        started = time.perf_counter()
        decisions = list(evaluate_texts(text for _, _, text in rows))
        elapsed = time.perf_counter() - started
        report(name, rows, decisions, show=show)
        print(
            f"{len(rows)} texts in {elapsed:.2f} s ({1000 * elapsed / len(rows):.2f} ms each, model batched)"
        )


if __name__ == "__main__":
    main()
