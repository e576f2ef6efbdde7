"""Benchmark: uncached thread pages and the review queue with 10,000 and then 1,000,000 comments.

    python bench/thread_scale.py        (also the last part of `make bench`)

Uses its own PostgreSQL databases (BENCH_SCALE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_scale, and the same name with `_small`), dropped and
created afresh, and dropped again at the end unless BENCH_KEEP_DB=1. The data is written by
INSERT ... SELECT FROM generate_series in PostgreSQL itself (a million comments in well under a
minute):

- 10,000 comments: one article whose thread has 5,000 comments, 49 articles with about 100 each,
  kept as they are in the `_small` copy;
- then 990,000 more over 4,950 more articles (about 200 each): 1,000,000 over 5,000 articles.

Each article's comments start an hour after the previous article's, as on a news site (the
planner's estimates of a page after a cursor rely on it). Every tenth top-level comment has three
replies; one comment in a hundred is in review, with its open item in the premod queue. It times,
straight from the database (no cache), the first page of the 5,000-comment thread and of a
100-comment article, page 50 of the big thread, and the first page of the review queue
(BENCH_ROUNDS, 30, the median) at both sizes in BENCH_SLICES (5) turns taken in rotation, so a
shared machine's load falls on both sizes alike (measured one size after the other, the ratios
swung from 0.3 to 1.3 with the load of other sessions). Then it prints the ratio of the large to
the small and the query plans (EXPLAIN ANALYZE) at 1,000,000.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import production_env  # noqa: E402
from bench.database import recreate_database  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_scale")
os.environ.update(production_env(DATABASE_URL, os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")))
SMALL_DATABASE_URL = DATABASE_URL + "_small"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SLICES = int(os.environ.get("BENCH_SLICES", "5"))
PAGE_SIZE = 20
BIG = 5000


def _articles(cursor, first: int, count: int) -> tuple[int, int]:
    """Add `count` articles; the (lowest, highest) id."""
    cursor.execute(
        """
        INSERT INTO articles_article (headline, slug, section, standfirst, published_at, updated_at,
                                      comments_open, premoderate_comments, comment_count, canonical_url)
        SELECT 'Article ' || g, 'scale-' || g, 'News', 'A standfirst.', now() - interval '1 day',
               now() - interval '1 day', true, false, 0, ''
        FROM generate_series(%s, %s) g
        RETURNING id
        """,
        [first, first + count - 1],
    )
    ids = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "INSERT INTO articles_articleblock (article_id, position, kind, text, label, heading) "
        "SELECT id, 1, 'paragraph', 'The first paragraph.', '', '' FROM articles_article WHERE id BETWEEN %s AND %s",
        [min(ids), max(ids)],
    )
    return min(ids), max(ids)


def _comments(cursor, articles: tuple[int, int], per_article: int) -> None:
    """About `per_article` comments on each article in the id range: top-level ones, three
    replies under every tenth, one in a hundred in review with an open premod item."""
    tops = round(per_article / 1.3)
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM comments_comment")
    (before,) = cursor.fetchone()
    cursor.execute(
        """
        INSERT INTO comments_comment (article_id, author_id, depth, body, body_html, status, version,
                                      checked_version, edit_body, edit_body_html, edit_status, rejection_reason,
                                      hold_reason, like_count, created_at, status_changed_at)
        SELECT a, 1 + (g %% 500), 0, 'Comment ' || g || ' on the story, with a few words more.',
               '<p>Comment ' || g || ' on the story, with a few words more.</p>',
               CASE WHEN g %% 100 = 7 THEN 'in_review' ELSE 'approved' END, 1, 1, '', '', '', '', '', g %% 17,
               timestamp '2026-01-01' + a * interval '1 hour' + g * interval '1 second',
               timestamp '2026-01-01' + a * interval '1 hour' + g * interval '1 second'
        FROM generate_series(%s, %s) a CROSS JOIN generate_series(1, %s) g
        """,
        [articles[0], articles[1], tops],
    )
    cursor.execute(
        """
        INSERT INTO comments_comment (article_id, author_id, parent_id, depth, body, body_html, status,
                                      version, checked_version, edit_body, edit_body_html, edit_status, rejection_reason,
                                      hold_reason, like_count, created_at, status_changed_at)
        SELECT c.article_id, 1 + ((c.id + r) %% 500), c.id, 1, 'A reply ' || r, '<p>A reply ' || r || '</p>',
               'approved', 1, 1, '', '', '', '', '', 0, c.created_at + r * interval '1 minute', c.created_at
        FROM comments_comment c CROSS JOIN generate_series(1, 3) r
        WHERE c.id > %s AND c.depth = 0 AND c.status = 'approved' AND c.id %% 10 = 0
        """,
        [before],
    )
    cursor.execute(
        """
        INSERT INTO moderation_reviewitem (comment_id, queue, reason, created_at, decision,
                                           decision_reason, decision_note, status_before, for_edit, note)
        SELECT id, 'premod', 'links', created_at, '', '', '', '', false, '' FROM comments_comment
        WHERE id > %s AND status = 'in_review'
        """,
        [before],
    )
    cursor.execute(
        "UPDATE articles_article a SET comment_count = (SELECT count(*) FROM comments_comment c "
        "WHERE c.article_id = a.id AND c.status = 'approved') WHERE a.id BETWEEN %s AND %s",
        list(articles),
    )


def _analyze(cursor) -> None:
    for table in ["comments_comment", "moderation_reviewitem", "articles_article"]:
        cursor.execute(f"VACUUM ANALYZE {table}")


def _timings(job, rounds: int) -> tuple[list[float], list[float]]:
    """`rounds` runs of job, in ms: the whole build, and the time spent in SQL (sending the
    queries, PostgreSQL running them, reading the rows), the part that could grow with the table;
    the rest is Python building the same 20 comments at any size, and the noise of a shared machine."""
    from django.db import connection

    spent = [0.0]

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - began

    job()
    whole, sql = [], []
    with connection.execute_wrapper(timed):
        for _ in range(rounds):
            spent[0] = 0.0
            began = time.perf_counter()
            job()
            whole.append((time.perf_counter() - began) * 1000)
            sql.append(spent[0] * 1000)
    return whole, sql


def _page_50_cursor(article_id: int) -> str:
    from comments.selectors import _public_page

    cursor = None
    for _ in range(49):
        cursor = _public_page(article_id, "oldest", cursor, PAGE_SIZE)["next_cursor"]
    return cursor


def _jobs(big: int, typical: int) -> dict:
    from comments.selectors import _public_page
    from moderation.selectors import review_queue

    page_50 = _page_50_cursor(big)
    return {
        f"first page, {BIG:,}-comment thread": lambda: _public_page(big, "oldest", None, PAGE_SIZE),
        "first page, 100-comment article": lambda: _public_page(typical, "oldest", None, PAGE_SIZE),
        f"page 50, {BIG:,}-comment thread": lambda: _public_page(big, "oldest", page_50, PAGE_SIZE),
        "first page of the premod queue": lambda: review_queue(queue="premod", limit=PAGE_SIZE),
    }


def _use(url: str) -> None:
    """Point the default connection at another database (same settings, another name)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = url.rsplit("/", 1)[1]


def _measure(big: int, typical: int) -> dict[str, dict[str, tuple[float, float, float]]]:
    """{size: {what: (median whole ms, median SQL ms, best whole ms)}}, both sizes measured in
    rotating turns. The best of the rounds is what other processes' load disturbs least."""
    samples: dict[str, dict[str, tuple[list, list]]] = {"small": {}, "large": {}}
    sizes = [("small", SMALL_DATABASE_URL), ("large", DATABASE_URL)]
    for turn in range(SLICES):
        for size, url in sizes if turn % 2 == 0 else sizes[::-1]:  # neither always goes first
            _use(url)
            for name, job in _jobs(big, typical).items():
                whole, sql = _timings(job, max(1, ROUNDS // SLICES))
                kept = samples[size].setdefault(name, ([], []))
                kept[0].extend(whole)
                kept[1].extend(sql)
    _use(DATABASE_URL)
    return {
        size: {
            name: (statistics.median(whole), statistics.median(sql), min(whole))
            for name, (whole, sql) in found.items()
        }
        for size, found in samples.items()
    }


def _plans(big: int) -> None:
    from comments.models import Comment
    from comments.selectors import SHOWN_STATUSES, _after, _visible_replies, cursor_values
    from moderation.selectors import open_items

    value, pk = cursor_values(_page_50_cursor(big), "oldest")
    tops = Comment.objects.filter(article_id=big, depth=0, status__in=SHOWN_STATUSES).order_by(
        "created_at", "id"
    )
    page = list(tops.values_list("id", flat=True)[:PAGE_SIZE])
    from django.db.models import Count, F, Window
    from django.db.models.functions import RowNumber

    by_parent = {"partition_by": [F("parent_id")]}
    replies = (
        _visible_replies()
        .filter(parent_id__in=page)
        .annotate(
            reply_rank=Window(RowNumber(), order_by=[F("created_at").asc(), F("id").asc()], **by_parent),
            reply_total=Window(Count("id"), **by_parent),
        )
        .filter(reply_rank__lte=3)
    )
    queries = {
        "first page, top-level comments": tops[: PAGE_SIZE + 1],
        "page 50, top-level comments": tops.filter(_after(value, pk))[: PAGE_SIZE + 1],
        "first replies of a page (window over the partial index)": replies,
        "review queue page": open_items("premod").order_by("created_at", "id")[:PAGE_SIZE],
    }
    from django.db import connection

    for name, query in queries.items():
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            # Not QuerySet.explain(): Django puts EXPLAIN inside the subquery a window filter needs.
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n-- {name}\n{plan}")


def main() -> None:
    recreate_database(DATABASE_URL)
    recreate_database(SMALL_DATABASE_URL, drop_only=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
            "is_staff, is_active, date_joined) SELECT '!', false, 'reader' || g, '', '', '', false, true, now() "
            "FROM generate_series(1, 500) g"
        )
        began = time.perf_counter()
        big = _articles(cursor, 1, 1)
        _comments(cursor, big, BIG)
        small = _articles(cursor, 2, 49)
        _comments(cursor, small, 100)
        _analyze(cursor)
        cursor.execute("SELECT count(*) FROM comments_comment")
        (small_count,) = cursor.fetchone()
        print(f"{small_count:,} comments in {time.perf_counter() - began:.1f} s", flush=True)
    connection.close()
    recreate_database(SMALL_DATABASE_URL, template=DATABASE_URL.rsplit("/", 1)[1])
    with connection.cursor() as cursor:
        began = time.perf_counter()
        _comments(cursor, _articles(cursor, 51, 4950), 200)
        _analyze(cursor)
        cursor.execute("SELECT count(*) FROM comments_comment")
        (large_count,) = cursor.fetchone()
        print(f"{large_count:,} comments in {time.perf_counter() - began:.1f} s more", flush=True)
        cursor.execute("SELECT count(*) FROM moderation_reviewitem")
        (items,) = cursor.fetchone()
    measured = _measure(big[0], small[0])

    small_ms, large_ms = measured["small"], measured["large"]
    print(
        f"\nuncached, median of {ROUNDS} in ms, both sizes in {SLICES} turns; "
        f"{items:,} open review items at the larger size"
    )
    print(
        f"{'what':<36} {'whole build':>15} {'of which SQL':>15} {'best':>15}   "
        f"{'ratio whole':>11} {'ratio SQL':>9} {'ratio best':>10}  (goal <= 1.2)"
    )
    print(f"{'':<36}" + f" {small_count:>7,} {large_count:>7,}" * 3)
    for name in small_ms:
        (small_whole, small_sql, small_best), (large_whole, large_sql, large_best) = (
            small_ms[name],
            large_ms[name],
        )
        print(
            f"{name:<36} {small_whole:>7.2f} {large_whole:>7.2f} {small_sql:>7.2f} {large_sql:>7.2f} "
            f"{small_best:>7.2f} {large_best:>7.2f}   {large_whole / small_whole:>11.2f} "
            f"{large_sql / small_sql:>9.2f} {large_best / small_best:>10.2f}"
        )
    print(f"\nQuery plans with {large_count:,} comments:")
    _plans(big[0])
    connection.close()
    if os.environ.get("BENCH_KEEP_DB") != "1":
        recreate_database(DATABASE_URL, drop_only=True)
        recreate_database(SMALL_DATABASE_URL, drop_only=True)


if __name__ == "__main__":
    main()
