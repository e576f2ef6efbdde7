"""Benchmark: claim latency of the review queue with 10,000 and 200,000 open items on PostgreSQL.

Run with `python bench/claims.py` (PostgreSQL from DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_claims; the database is dropped and created afresh, and
dropped again at the end unless BENCH_KEEP_DB=1). For each queue size it times
`services.claim(count=10)` for 1 moderator and for 10 concurrent moderators (threads, each on its
own connection; BENCH_PROCESSES=1 for processes, free of Python's GIL), each claim followed by an untimed rejection of the claimed items so the queue
keeps moving, next to a bare `SELECT 1` round trip from the same threads. Then it prints
EXPLAIN ANALYZE of the claim query, which walks the partial index `review_open_by_age`.

Authors' decision emails are switched off (moderation.notify.after_decision is replaced by a
no-op): the figure is the claim, not the broker.
"""

import os
import queue as queue_module
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import production_env  # noqa: E402
from bench.database import recreate_database  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_claims")
os.environ.update(production_env(DATABASE_URL, os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,200000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))  # claims per configuration, over all threads
COUNT = 10
MODERATORS = 10
PROCESSES = os.environ.get("BENCH_PROCESSES") == "1"


def _setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from moderation import notify

    notify.after_decision = lambda **kwargs: None


def _fill(target: int, *, article_id: int, author_id: int) -> None:
    """Add open premod items (each with its in-review comment) until the queue holds `target`."""
    from django.db import connection

    from moderation.models import ReviewItem

    missing = target - ReviewItem.objects.filter(decided_at__isnull=True).count()
    began = time.perf_counter()
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=ReviewItem.objects.count())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM comments_comment")
        (first_id,) = cursor.fetchone()
        columns = (
            "article_id, author_id, depth, body, body_html, status, version, hold_reason, "
            "like_count, created_at, status_changed_at, checked_version, edit_body, edit_body_html, edit_status, "
            "rejection_reason"
        )
        with cursor.cursor.copy(f"COPY comments_comment ({columns}) FROM STDIN") as copy:
            for n in range(missing):
                at = start + timedelta(seconds=n)
                body = f"Held comment number {n}, with a link or two to look at."
                copy.write_row(
                    (
                        article_id,
                        author_id,
                        0,
                        body,
                        f"<p>{body}</p>",
                        "in_review",
                        1,
                        "",
                        0,
                        at,
                        at,
                        1,
                        "",
                        "",
                        "",
                    )
                )
        cursor.execute(
            """
            INSERT INTO moderation_reviewitem
                (comment_id, queue, reason, created_at, decision, decision_reason, decision_note,
                 status_before, for_edit)
            SELECT id, 'premod', 'links', created_at, '', '', '', '', false FROM comments_comment WHERE id > %s
            """,
            [first_id],
        )
        cursor.execute("VACUUM ANALYZE comments_comment")
        cursor.execute("VACUUM ANALYZE moderation_reviewitem")
    print(f"filled to {target:,} open items (+{missing:,} in {time.perf_counter() - began:.1f} s)")


def _run(moderators: list, rounds: int, job) -> list[float]:
    """Each moderator calls job(user) `rounds // len(moderators)` times, in its own thread (or
    process with BENCH_PROCESSES=1) and database connection; the latencies in seconds."""
    from django.db import connection, connections

    if PROCESSES:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        results, barrier = context.Queue(), context.Barrier(len(moderators))
        connections.close_all()  # a forked child must open its own connection
    else:
        results, barrier = queue_module.Queue(), threading.Barrier(len(moderators))

    def work(user) -> None:
        mine: list[float] | str = []
        try:
            job(user)  # warm the connection
            barrier.wait()
            for _ in range(rounds // len(moderators)):
                mine.append(job(user))
        except BaseException as error:  # reported by the caller
            mine = repr(error)
        finally:
            connection.close()
        results.put(mine)

    start = context.Process if PROCESSES else threading.Thread
    workers = [start(target=work, args=(user,)) for user in moderators]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    for _ in workers:
        mine = results.get()
        if isinstance(mine, str):
            raise RuntimeError(mine)
        latencies.extend(mine)
    for worker in workers:
        worker.join()
    return latencies


def _select_one(user) -> float:
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return time.perf_counter() - began


def _claim_and_decide(user) -> float:
    from moderation import services

    began = time.perf_counter()
    items = services.claim(moderator=user, queue="premod", count=COUNT)
    took = time.perf_counter() - began
    if len(items) != COUNT:
        raise RuntimeError(f"claimed {len(items)} items, expected {COUNT}")
    for item in items:
        services.decide(item_id=item.pk, moderator=user, action="reject", reason="spam")
    return took


def _explain() -> str:
    from django.db import transaction
    from django.utils import timezone

    from moderation import services

    with transaction.atomic():
        return services.claimable(queue="premod", now=timezone.now(), wanted=COUNT).explain(
            analyze=True, buffers=True
        )


def _ms(values: list[float], q: float) -> float:
    return sorted(values)[max(0, int(len(values) * q) - 1)] * 1000


def main() -> None:
    recreate_database(DATABASE_URL)
    try:
        _setup_django()
        from django.db import connection

        from tests.factories import ArticleFactory, UserFactory

        article, author = ArticleFactory(slug="bench-claims"), UserFactory(username="bench-author")
        moderators = [UserFactory(username=f"bench-mod{n}") for n in range(MODERATORS)]
        rows, plans = [], []
        for size in SIZES:
            _fill(size, article_id=article.pk, author_id=author.pk)
            for crowd in (moderators[:1], moderators):
                baseline = _run(crowd, ROUNDS, _select_one)
                claims = _run(crowd, ROUNDS, _claim_and_decide)
                rows.append((size, len(crowd), baseline, claims))
            connection.close()
            plans.append((size, _explain()))
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            recreate_database(DATABASE_URL, drop_only=True)

    mode = "processes" if PROCESSES else "threads (one GIL)"
    print(
        f"\nPostgreSQL {DATABASE_URL.rsplit('@', 1)[-1]}; {ROUNDS} claims of {COUNT} per row; moderators are {mode}"
    )
    print(
        f"{'open items':>10} {'mods':>4} {'SELECT 1 p50':>12} {'p95':>7} "
        f"{'claim p50':>10} {'p95':>7} {'mean':>7} {'claims/s':>9}"
    )
    for size, crowd, baseline, claims in rows:
        rate = len(claims) / sum(claims) * crowd
        print(
            f"{size:>10,} {crowd:>4} {_ms(baseline, 0.5):>12.2f} {_ms(baseline, 0.95):>7.2f} "
            f"{_ms(claims, 0.5):>10.2f} {_ms(claims, 0.95):>7.2f} {statistics.mean(claims) * 1000:>7.2f} "
            f"{rate:>9.0f}"
        )
    print("(ms; claims/s = claims per second of claim time, summed over the moderators)")
    for size, plan in plans:
        print(f"\nEXPLAIN ANALYZE of the claim query with {size:,} open items:\n{plan}")


if __name__ == "__main__":
    main()
