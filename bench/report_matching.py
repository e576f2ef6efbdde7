"""Benchmark: correction reports with long quotes that match nothing, one after another.

Run with `python bench/report_matching.py` (PostgreSQL from DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_reports, dropped and created afresh, and dropped at the
end). Loads the seed article and POSTs BENCH_REPORTS (default 30) reports to
/api/v1/articles/<slug>/corrections/, each quoting 1,000 random characters (seeded), so every
report is searched for fuzzily and starts its own group: the worst case for grouping. Prints the
request time of each report, and how long a probe thread beside it had to wait for the article's
row lock (which a report holds while it files itself), from another process. The checks task is not queued (the figure is
filing the report, not the broker).
"""

import multiprocessing
import os
import random
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import production_env  # noqa: E402
from bench.database import recreate_database  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_reports")
os.environ.update(
    production_env(
        DATABASE_URL,
        os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        DJANGO_SETTINGS_MODULE="config.settings",
        ALLOWED_HOSTS="testserver",
        CORRECTION_RATE_LIMIT="1000000",
    )
)
REPORTS = int(os.environ.get("BENCH_REPORTS", "30"))
SLUG = "98000-russians-flee-to-kazakhstan"


def _probe(article_id: int, stop, waits) -> None:
    """In its own process (no shared GIL): take and release the article's row lock every few
    milliseconds, recording each wait."""
    import psycopg

    with psycopg.connect(DATABASE_URL) as conn:
        while not stop.is_set():
            began = time.perf_counter()
            with conn.transaction():
                conn.execute("SELECT id FROM articles_article WHERE id = %s FOR UPDATE", [article_id])
            waits.append(time.perf_counter() - began)
            time.sleep(0.005)


def main() -> None:
    recreate_database(DATABASE_URL)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from articles.models import Article
        from corrections import services

        call_command("migrate", verbosity=0)
        call_command("load_seeds", verbosity=0)
        services._queue = lambda task_name, report_id: None
        article = Article.objects.get(slug=SLUG)
        rng = random.Random(12)
        letters = string.ascii_lowercase + "      "
        quotes = ["".join(rng.choice(letters) for _ in range(1000)) for _ in range(REPORTS)]
        client = Client()
        client.post(f"/api/v1/articles/{SLUG}/corrections/", {"message": "warm-up"}, "application/json")

        manager = multiprocessing.Manager()
        stop, waits = manager.Event(), manager.list()
        probe = multiprocessing.Process(target=_probe, args=(article.pk, stop, waits))
        probe.start()
        times = []
        for quote in quotes:
            began = time.perf_counter()
            response = client.post(
                f"/api/v1/articles/{SLUG}/corrections/",
                {"message": "Wrong.", "quote": quote},
                "application/json",
            )
            times.append(time.perf_counter() - began)
            assert response.status_code == 201, response.content
        stop.set()
        probe.join()
        waits = list(waits)
        groups = len(
            set(Article.objects.get(pk=article.pk).correction_reports.values_list("group", flat=True))
        )
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(DATABASE_URL, drop_only=True)

    print(f"\n{REPORTS} reports with random 1,000-character quotes on the seed article ({groups} groups)")
    print(f"{'report':>6} {'request ms':>10}")
    for n, seconds in enumerate(times, start=1):
        if n in (1, 2, 5, 10, 14, 20, 30, 50, 100) or n == len(times):
            print(f"{n:>6} {seconds * 1000:>10.1f}")
    print(
        f"all: p50 {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; "
        f"wait for the article's row lock beside them: p50 {statistics.median(waits) * 1000:.1f} ms, "
        f"max {max(waits) * 1000:.1f} ms ({len(waits)} probes)"
    )


if __name__ == "__main__":
    main()
