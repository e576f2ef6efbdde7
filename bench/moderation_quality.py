"""Benchmark: how much harm the automated checks hold, per kind, and how many innocent texts.

    python bench/moderation_quality.py            (BENCH_SHOW=1 also lists what was missed)

Runs the labelled set in bench/moderation_set/ (one text a line; a file per kind) through the
same normalization, classifier, checks and policy as `manage.py moderate_texts`: each text as a
comment by an established commenter in good standing, with the word lists and thresholds the
migrations install (a fresh SQLite database in a temporary directory, or DATABASE_URL when set).
A harmful text counts as held when the decision is review or reject; an innocent one is wrongly
held when it is anything but approve.

The set was written from the kinds in issue 13 (threats, dehumanising and exterminating
language, spam from any account, evasions, plain abuse; innocent news comments in English,
Ukrainian, Russian and Kazakh, strong civil criticism, names and places that contain or are a
rude word), not from single held-out examples; tests keep their own smaller examples.
"""

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "bench" / "moderation_set"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/quality.sqlite3")
os.environ.setdefault("REDIS_URL", "")
os.environ.setdefault("LOG_LEVEL", "WARNING")
HARMFUL = ["threat", "hate", "spam", "evasion", "abuse"]
TARGET_HELD, TARGET_KIND, TARGET_INNOCENT = 95.0, 90.0, 2.0


def load(kind: str) -> list[str]:
    return [line for line in (SET / f"{kind}.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from moderation.policy import evaluate_texts

    call_command("migrate", verbosity=0)
    innocent = sorted(p.stem for p in SET.glob("innocent_*.txt"))
    kinds = {kind: load(kind) for kind in [*HARMFUL, *innocent]}
    texts = [text for group in kinds.values() for text in group]
    started = time.perf_counter()
    decisions = iter(list(evaluate_texts(texts)))
    elapsed = time.perf_counter() - started
    show = os.environ.get("BENCH_SHOW") == "1"
    print(f"{'kind':<22}{'texts':>6}{'held':>6}{'held %':>8}   deciding checks")
    totals = Counter()
    for kind, group in kinds.items():
        is_harmful = kind in HARMFUL
        held, by_check, missed = 0, Counter(), []
        for text in group:
            decision = next(decisions)
            if decision.decision != "approve":
                held += 1
                by_check[decision.deciding.name] += 1
                if not is_harmful:
                    missed.append(f"{decision.decision} by {decision.deciding.explanation}: {text}")
            elif is_harmful:
                missed.append(text)
        totals["harmful" if is_harmful else "innocent", "texts"] += len(group)
        totals["harmful" if is_harmful else "innocent", "held"] += held
        checks = ", ".join(f"{name} {n}" for name, n in by_check.most_common())
        print(f"{kind:<22}{len(group):>6}{held:>6}{100 * held / len(group):>7.1f}%   {checks}")
        if show:
            for line in missed:
                print(f"    {'missed' if is_harmful else 'HELD'}: {line}")
    harmful = 100 * totals["harmful", "held"] / totals["harmful", "texts"]
    wrongly = 100 * totals["innocent", "held"] / totals["innocent", "texts"]
    print(
        f"\nharmful held: {totals['harmful', 'held']}/{totals['harmful', 'texts']} = {harmful:.1f}% "
        f"(goal ≥ {TARGET_HELD}%, every kind ≥ {TARGET_KIND}%)\n"
        f"innocent held: {totals['innocent', 'held']}/{totals['innocent', 'texts']} = {wrongly:.1f}% "
        f"(goal ≤ {TARGET_INNOCENT}%)\n"
        f"{len(texts)} texts in {elapsed:.2f} s ({1000 * elapsed / len(texts):.2f} ms each, classifier batched)"
    )


if __name__ == "__main__":
    main()
