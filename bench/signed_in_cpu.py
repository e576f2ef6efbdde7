"""CPU per signed-in article page in one process: the WSGI application called in a loop with a
signed-in session cookie (the seed article with 200 comments, a reader with none of their own).

PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_signed_in, dropped
and created afresh), Redis db 12 from BENCH_REDIS_URL (emptied). Prints the best of BENCH_SLICES
(8) turns of BENCH_REQUESTS (300) requests; BENCH_PROFILE=1 adds cProfile's listing.
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import production_env  # noqa: E402
from bench.database import recreate_database  # noqa: E402

ENV = production_env(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_signed_in"),
    os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
)
os.environ.update(ENV)
recreate_database(ENV["DATABASE_URL"])

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.seeds import load_seeds  # noqa: E402
from bench.wsgi import application  # noqa: E402
from tests.factories import make_comment  # noqa: E402

SLUG = "98000-russians-flee-to-kazakhstan"


def setup() -> str:
    """The seed article with 200 comments by 20 writers; a reader's cookies."""
    for command in (["migrate"], ["collectstatic", "--no-input"]):
        call_command(*command, verbosity=0)
    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    load_seeds(ROOT / "seeds" / "articles")
    users = get_user_model().objects
    writers = users.bulk_create([users.model(username=f"writer{n}") for n in range(20)])
    for n, writer in enumerate(writers * 10):
        make_comment(article=Article.objects.get(slug=SLUG), author=writer, body=f"Comment number {n}. " * 8)
    client = Client()
    client.force_login(users.create(username="reader"))
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={'x' * 32}"


def request(cookie: str) -> bytes:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": f"/articles/{SLUG}/", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "HTTP_COOKIE": cookie,
    }  # fmt: skip
    status = []
    body = b"".join(application(environ, lambda code, headers: status.append(code)))
    if not status[0].startswith("200"):
        raise SystemExit(f"the page answered {status[0]}")
    return body


def main() -> None:
    cookie = setup()
    count, slices = int(os.environ.get("BENCH_REQUESTS", "300")), int(os.environ.get("BENCH_SLICES", "8"))
    for _ in range(50):
        request(cookie)
    turns = []
    for _ in range(slices):
        start = time.process_time()
        for _ in range(count):
            request(cookie)
        turns.append((time.process_time() - start) / count * 1000)
    print(f"signed-in page: best {min(turns):.3f} ms CPU, median {sorted(turns)[len(turns) // 2]:.3f} ms")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile(time.process_time)
        profile.runcall(lambda: [request(cookie) for _ in range(count)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
