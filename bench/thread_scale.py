"""Benchmark: an uncached thread page of an article with 5,000 comments against one with 50.

Run with `python bench/thread_scale.py` (PostgreSQL from DATABASE_URL, default the bench
database). Builds each page straight from the database, skipping the Redis cache, and prints
the mean time per page for each sort, first page and the page after it, and the query plan.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")  # a local run: local defaults for what it does not set
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_newsroom")
os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402

from articles.models import Article  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.rendering import render_body  # noqa: E402
from comments.selectors import SHOWN_STATUSES, _public_page  # noqa: E402
from tests.factories import ArticleFactory, UserFactory  # noqa: E402

ROUNDS = 50


def _article_with(slug: str, count: int) -> Article:
    article = Article.objects.filter(slug=slug).first() or ArticleFactory(slug=slug)
    missing = count - Comment.objects.filter(article=article).count()
    if missing > 0:
        writer = UserFactory(username="bench-scale")
        Comment.objects.bulk_create(
            [
                Comment(
                    article=article,
                    author=writer,
                    body=f"Comment {n}",
                    body_html=render_body(f"Comment {n}"),
                    status=Comment.Status.APPROVED,
                    like_count=n % 17,
                )
                for n in range(missing)
            ],
            batch_size=1000,
        )
        Comment.objects.filter(article=article, thread__isnull=True).update(thread=F("id"))
    return article


def _mean_ms(article_id: int, sort: str, cursor: str | None) -> float:
    began = time.perf_counter()
    for _ in range(ROUNDS):
        _public_page(article_id, sort, cursor, 20)
    return (time.perf_counter() - began) / ROUNDS * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    articles = [_article_with("bench-scale-50", 50), _article_with("bench-scale-5000", 5000)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE comments_comment")
    print(f"{'comments':>8} {'sort':<7} {'page 1 ms':>10} {'page 2 ms':>10}")
    for article in articles:
        for sort in ["oldest", "newest", "top"]:
            next_cursor = _public_page(article.pk, sort, None, 20)["next_cursor"]
            first, second = _mean_ms(article.pk, sort, None), _mean_ms(article.pk, sort, next_cursor)
            count = Comment.objects.filter(article=article).count()
            print(f"{count:>8} {sort:<7} {first:>10.2f} {second:>10.2f}")
    plan = (
        Comment.objects.filter(article=articles[1], depth=0, status__in=SHOWN_STATUSES)
        .order_by("created_at", "id")[:21]
        .explain()
    )
    print("\nplan of a page of the 5,000-comment thread:\n" + plan)


if __name__ == "__main__":
    main()
