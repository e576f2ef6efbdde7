from django.http import HttpRequest, HttpResponse

from .sso import Invalid, authenticate_bearer


class BearerPageMiddleware:
    """The newsroom's readers on the pages the embed's frame fetches with their token (the thread
    as they see it, live comments, replies): `Authorization: Bearer <JWT>` signs in a GET for
    that request only. The API does the same through DRF (embed.sso.BearerAuthentication).

    GET and HEAD only: a form POST keeps the session and its CSRF token, and a cross-site page
    cannot send the header without a CORS preflight, which only /api/ answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        bearer = header[:7].lower() == "bearer " and request.method in ("GET", "HEAD")
        if bearer and not request.path_info.startswith("/api/"):  # DRF reads the API's itself
            try:
                found = authenticate_bearer(header.encode("latin-1"))
            except (Invalid, UnicodeEncodeError) as error:
                response = HttpResponse(f"{error}\n", status=401, content_type="text/plain; charset=utf-8")
                response["WWW-Authenticate"] = 'Bearer realm="embed"'
                response["Cache-Control"] = "private, no-store"
                return response
            request.user = request._cached_user = found[0]
        return self.get_response(request)
