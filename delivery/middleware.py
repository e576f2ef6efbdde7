"""The delivery layer's middleware: the signed-in user read from a kept copy, and answers that are
someone's own kept out of shared caches."""

from django.contrib.auth import middleware as auth_middleware
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from delivery import reader_store
from delivery.pagecache import is_anonymous


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, reading the signed-in user from the copy delivery/reader_store.py keeps in Redis."""

    def process_request(self, request) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if not hasattr(request, "_cached_user"):  # where Django's middleware keeps it too
        request._cached_user = reader_store.signed_in_user(request)
    return request._cached_user


# Whoever asks, what these answer is someone's own: the reader's account and page, moderators'.
PRIVATE_PATHS = ("/accounts/", "/moderation/", "/api/v1/me/", "/api/v1/moderation/")


class PrivateAnswersMiddleware:
    """`Cache-Control: private, no-store` on every answer to a request with credentials (a session,
    a flash message, a token) and on PRIVATE_PATHS whoever asks (their 401s and redirects to log in
    too), unless the view said it is public (the live updates, the same for everyone): a shared
    cache in front must keep none of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" in response.get("Cache-Control", ""):
            return response
        if request.path.startswith(PRIVATE_PATHS) or not is_anonymous(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
