"""The embed's weight and the first paint of its thread, in Chromium, against the article page.

`python bench/embed.py` (PostgreSQL from DATABASE_URL, default bench_embed, dropped and created
afresh; Redis db 9 from BENCH_REDIS_URL, emptied) serves the site with gunicorn (2 workers, DEBUG
off, static files from whitenoise) and the demo newsroom's page (demo/newsroom.py) on another
origin, with a story of 200 approved comments, as the seed article has. For BENCH_ROUNDS (5)
fresh browser contexts (nothing cached) and then as many visits with the browser's cache warm,
it opens the newsroom's page and, as the baseline of the same run, our own article page with the
same 200 comments; it prints the requests and bytes that reach this site (the embed's weight:
the script, the frame's page, its styles and scripts) and the first contentful paint of the
thread, inside the frame for the embed, counted from the start of the host page's navigation.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import free_port, production_env  # noqa: E402
from bench.database import recreate_database  # noqa: E402

PY = sys.executable
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
COMMENTS = 200
SLUG = "98000-russians-flee-to-kazakhstan"
PORT, NEWSROOM_PORT = free_port(), free_port()
SITE = f"http://127.0.0.1:{PORT}"
NEWSROOM = f"http://localhost:{NEWSROOM_PORT}"
ENV = production_env(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_embed"),
    os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    EMBED_ORIGINS=NEWSROOM,
)
os.environ.update(ENV)
recreate_database(ENV["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.seeds import load_seeds  # noqa: E402
from demo.newsroom import STORY_PATH, TITLE, serve_in_thread  # noqa: E402
from embed.services import create_story  # noqa: E402
from tests.factories import make_comment  # noqa: E402

# The frame's first contentful paint on the host page's clock (the frame's own entry counts from
# the frame's navigation, which starts after the host page and its script).
FRAME_PAINT = """async (hostOrigin) => {
  const paint = () => performance.getEntriesByName("first-contentful-paint")[0];
  while (!paint() || !document.querySelector("#comments .comment")) await new Promise(r => setTimeout(r, 20));
  return performance.timeOrigin + paint().startTime;
}"""
PAGE_PAINT = """async () => {
  const paint = () => performance.getEntriesByName("first-contentful-paint")[0];
  while (!paint()) await new Promise(r => setTimeout(r, 20));
  return {origin: performance.timeOrigin, paint: paint().startTime};
}"""


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    load_seeds(ROOT / "seeds" / "articles")
    story = create_story(url=NEWSROOM + STORY_PATH, title=TITLE)
    writers = [get_user_model().objects.get_or_create(username=f"bench{n}")[0] for n in range(20)]
    for article in (Article.objects.get(slug=SLUG), story):
        for n in range(COMMENTS):
            make_comment(article=article, author=writers[n % 20], body=f"Comment number {n}. " * 8)


def _gunicorn() -> subprocess.Popen:
    import urllib.error
    import urllib.request

    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{SITE}/healthz", timeout=2)  # noqa: S310 - our own server
            return server
        except urllib.error.HTTPError:  # a 503 (no worker runs here) means it is up
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _visit(context, url: str, *, embed: bool) -> dict:
    """One visit: the paint time (ms from the host page's navigation) and what reached our site."""
    page = context.new_page()
    ours = {"requests": 0, "bytes": 0}

    def count(request) -> None:
        if request.url.startswith(SITE):
            sizes = request.sizes()
            ours["requests"] += 1
            ours["bytes"] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.on("requestfinished", count)
    page.goto(url)
    host = page.evaluate(PAGE_PAINT)
    if embed:
        frame = page.frame_locator("#newsroom-comments iframe")
        frame.locator("#comments .comment").first.wait_for(timeout=30_000)
        child = next(f for f in page.frames if f.url.startswith(SITE + "/embed/"))
        painted = child.evaluate(FRAME_PAINT) - host["origin"]
    else:
        painted = host["paint"]
    page.wait_for_load_state("networkidle")
    page.close()
    return {"paint": painted, **ours}


def measure(browser) -> list[tuple]:
    rows = []
    for label, url, embed in (
        ("article page (baseline)", f"{SITE}/articles/{SLUG}/", False),
        ("embed on the newsroom's page", NEWSROOM + STORY_PATH, True),
    ):
        cold, warm = [], []
        for _ in range(ROUNDS):
            context = browser.new_context()
            cold.append(_visit(context, url, embed=embed))
            warm.append(_visit(context, url, embed=embed))
            context.close()
        for kind, visits in (("cold", cold), ("warm", warm)):
            rows.append(
                (
                    f"{label}, {kind}",
                    statistics.median(v["requests"] for v in visits),
                    statistics.median(v["bytes"] for v in visits),
                    statistics.median(v["paint"] for v in visits),
                    min(v["paint"] for v in visits),
                )
            )
    return rows


def main() -> None:
    from playwright.sync_api import sync_playwright

    setup()
    server = _gunicorn()
    newsroom = serve_in_thread("localhost", NEWSROOM_PORT, site=SITE, secret="")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            rows = measure(chromium)
            chromium.close()
    finally:
        newsroom.shutdown()
        server.terminate()
        server.wait()
    print(f"\n{COMMENTS} approved comments; {ROUNDS} visits each; bytes and requests reaching this site")
    print(f"{'target':40} {'requests':>8} {'bytes':>9} {'paint p50 ms':>13} {'best ms':>8}")
    for label, requests, size, p50, best in rows:
        print(f"{label:40} {requests:>8.0f} {size:>9,.0f} {p50:>13.0f} {best:>8.0f}")


if __name__ == "__main__":
    main()
