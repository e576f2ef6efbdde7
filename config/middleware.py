import io
import sys

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control


def _too_large() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse({"detail": f"Request body too large (limit {limit} bytes)."}, status=413)


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE, however it is sent.

    DRF streams JSON bodies past Django's own size check, so the limit is enforced here, before
    any view or parser reads the body. A chunked body has no Content-Length: where the server
    de-chunks it and marks the input as ending (wsgi.input_terminated, as gunicorn does), at most
    one byte past the limit is read here and kept for the view; Django alone would read none of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Malformed Content-Length header."}, status=400)
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _too_large()
        chunked = not request.META.get("CONTENT_LENGTH") and request.META.get("HTTP_TRANSFER_ENCODING")
        if chunked and request.environ.get("wsgi.input_terminated"):
            body = request.environ["wsgi.input"].read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
            if len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return _too_large()
            # Django sized its stream from the missing Content-Length (0); hand it the body read.
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
        return self.get_response(request)


DATABASE_RETRY_AFTER = 10  # seconds a client is told to wait while PostgreSQL does not answer


@receiver(got_request_exception)
def _note_database_down(sender, request=None, **kwargs) -> None:
    # Sent by Django's handler inside its `except`, for any layer's uncaught exception.
    if request is not None and isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        request._database_down = True


class DatabaseUnavailableMiddleware:
    """503 with Retry-After, not 500, for a request that failed because PostgreSQL did not answer
    (stopped, restarting, out of connections): a client is told to try again, nothing half-done
    was kept (each request is one transaction or none). Pages the cache holds answer before this
    (delivery/fast_path.py, PublicCacheMiddleware) and need no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "_database_down", False):
            return response
        detail = "The site cannot reach its database right now. Try again shortly."
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            unavailable = JsonResponse({"detail": detail}, status=503)
        else:
            page = f"<!doctype html><title>Temporarily unavailable</title><h1>Temporarily unavailable</h1><p>{detail}</p>"
            unavailable = HttpResponse(page, status=503)
        unavailable["Retry-After"] = str(DATABASE_RETRY_AFTER)
        patch_cache_control(unavailable, no_store=True)
        return unavailable
