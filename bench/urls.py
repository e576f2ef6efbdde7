import os
from pathlib import Path

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urlpatterns

# The site's own answers, captured once before the run: the baselines serve the same bytes with
# none of the work (gunicorn is reloaded after the capture).
_DIR = Path(os.environ.get("BENCH_PAYLOAD_DIR", "."))


def _payload(name: str) -> bytes:
    found = _DIR / name
    return found.read_bytes() if found.exists() else b"{}"


_PAGE, _API = _payload("page.html"), _payload("api.json")


def bare_page(request):
    return HttpResponse(_PAGE, content_type="text/html; charset=utf-8")


def bare_api(request):
    return HttpResponse(_API, content_type="application/json")


@csrf_exempt
def bare_insert(request):
    """One INSERT of the posted body, committed (autocommit), and a 201."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (body) VALUES (%s) RETURNING id", [request.body.decode()[:5000]]
        )
        (pk,) = cursor.fetchone()
    return HttpResponse(f'{{"id": {pk}}}', content_type="application/json", status=201)


urlpatterns = [
    path("bench/bare/", bare_api),
    path("bench/bare/page/", bare_page),
    path("bench/bare/insert/", bare_insert),
    *site_urlpatterns,
]
