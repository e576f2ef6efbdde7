import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

from .celery import app as celery_app


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
        return f"down: {exc.__class__.__name__}"


def _redis() -> str:
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"down: {exc.__class__.__name__}"


def _worker() -> str:
    try:
        replies = celery_app.control.ping(timeout=1.0)
    except Exception as exc:  # noqa: BLE001
        return f"down: {exc.__class__.__name__}"
    return f"ok ({len(replies)} live)" if replies else "down: no worker answered"


def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, Redis and the Celery workers: 200 when all are up, else 503."""
    report = {"database": _database()}
    if settings.CELERY_EAGER:
        report["redis"] = "not configured: eager mode (tasks run in-process)"
        report["worker"] = "not needed: eager mode"
        healthy = report["database"] == "ok"
    else:
        report["redis"] = _redis()
        report["worker"] = _worker() if report["redis"] == "ok" else "unknown: redis is down"
        healthy = all(v.startswith("ok") for v in report.values())
    report["status"] = "ok" if healthy else "down"
    return JsonResponse(report, status=200 if healthy else 503)
