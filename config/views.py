import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from . import replicas
from .ratelimit import LimiterUnavailable
from .tasks import HEARTBEAT_KEY


def unavailable(request: HttpRequest, *, what: str, back=None) -> HttpResponse:
    """503 with Retry-After for an anonymous form whose rate limit cannot be counted (Redis down)."""
    response = render(request, "unavailable.html", {"what": what, "back": back}, status=503)
    response["Retry-After"] = str(LimiterUnavailable.retry_after)
    return response


def over_limit(
    request: HttpRequest, count, *, what: str, back, template: str, context: dict
) -> HttpResponse | None:
    """Count one anonymous form post with `count()`: the 429 page (`template`, told the minutes
    to wait) past the limit, the 503 page while it cannot be counted, None to go on."""
    try:
        wait = count()
    except LimiterUnavailable:
        return unavailable(request, what=what, back=back)
    if not wait:
        return None
    response = render(request, template, {**context, "minutes": -(-wait // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
        return f"down: {exc.__class__.__name__}"


def _redis_and_worker() -> tuple[str, str]:
    """One Redis read, bounded by the Redis timeouts: the worker's last heartbeat.

    No live ping of the workers: waiting for their answers tied up a web worker on every
    anonymous request. Operators who want one run `celery -A config inspect ping`.
    """
    try:
        beat = caches["strict"].get(HEARTBEAT_KEY)
    except Exception as exc:  # noqa: BLE001
        return f"down: {exc.__class__.__name__}", "unknown: redis is down"
    if beat is None:
        return "ok", "down: no heartbeat yet"
    age = max(0, round(time.time() - beat))
    if age > 3 * settings.WORKER_HEARTBEAT_SECONDS:
        return "ok", f"down: last heartbeat {age} s ago"
    return "ok", f"ok (heartbeat {age} s ago)"


def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, Redis and the Celery workers: 200 when all are up, else 503."""
    report = {"database": _database()}
    if settings.CELERY_EAGER:
        report["redis"] = "not configured: eager mode (tasks run in-process)"
        report["worker"] = "not needed: eager mode"
        healthy = report["database"] == "ok"
    else:
        report["redis"], report["worker"] = _redis_and_worker()
        healthy = all(v.startswith("ok") for v in report.values())
    if replicas.replica_aliases():
        # Each replica's lag; one behind or down is skipped (reads go to the primary), not a fault.
        report["replicas"] = replicas.report()
    report["status"] = "ok" if healthy else "down"
    return JsonResponse(report, status=200 if healthy else 503)
