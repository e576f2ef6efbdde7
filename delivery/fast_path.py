"""The WSGI application in front of Django: cached answers (delivery/pagecache.py) without Django's
request handling."""

from collections.abc import Callable

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware

from delivery.pagecache import PublicCacheMiddleware, shared_policy


class _FallThrough(Exception):
    """The fast path cannot answer this request: Django's whole stack will."""


def _fall_through(request: HttpRequest) -> HttpResponse:
    raise _FallThrough


def fast_path(django_app: Callable) -> Callable:
    """The WSGI application `django_app`, answering the 304s and cached answers of
    PublicCacheMiddleware (anonymous readers', and everyone's where a view reads no credentials)
    before Django's request handling: no request signals, no middleware chain, no view.

    It runs what the full stack runs for such a request and nothing else: SecurityMiddleware
    (the redirect to https, its response headers), CorsMiddleware (the permitted origins' CORS
    headers, never stored with an answer), then PublicCacheMiddleware with nothing inside it. The
    middleware between them (RequestSizeLimitMiddleware, WhiteNoise) has nothing to do for a GET
    without a body outside STATIC_URL, so the headers are those the full stack sends
    (tests/test_pagecache_wsgi.py compares them). Whatever the cache cannot answer on its own (a
    missing or stale entry, Redis unreachable, a bad Host, another view) goes to `django_app`
    untouched, which does the same work again and builds the answer.
    """
    security = SecurityMiddleware(_fall_through)
    cached = CorsMiddleware(PublicCacheMiddleware(_fall_through))

    def answer(environ: dict) -> HttpResponse | None:
        # A copy: WSGIRequest writes the decoded path back into the environ it is given, and
        # Django must read the environ as the server gave it when this falls through.
        request = WSGIRequest(environ.copy())
        if request.path_info.startswith(settings.STATIC_URL) or shared_policy(request)[0] is None:
            return None
        try:
            if security.process_request(request) is not None:
                return None
            return security.process_response(request, cached(request))
        except Exception:  # noqa: BLE001 - _FallThrough, DisallowedHost, anything: Django decides
            return None

    def application(environ: dict, start_response: Callable):
        quick = (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not environ.get("CONTENT_LENGTH", "").strip("0")
            and "HTTP_TRANSFER_ENCODING" not in environ
        )
        response = answer(environ) if quick else None
        if response is None:
            return django_app(environ, start_response)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [response.content]

    return application
