from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def api(user=None) -> APIClient:
    """An API client sending `user`'s token, as API clients do (anonymous without a user).

    force_authenticate sends no token nor cookie, so the request would look anonymous and get
    the shared cached page.
    """
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client
