"""API tokens that expire (API_TOKEN_EXPIRE_DAYS) and stop working when the password changes.

Kept apart from the token view: DRF imports the authentication class while it loads its settings,
before its views can be imported.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than API_TOKEN_EXPIRE_DAYS (401)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed("Token has expired. Ask for a new one.")
        return user, token


def token_expired(token: Token) -> bool:
    return token.created < timezone.now() - timedelta(days=settings.API_TOKEN_EXPIRE_DAYS)


class RevokeTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for Django's `password_changed` hook, which every way of
    setting a password calls (forms, admin, `changepassword`): the old API token stops working.
    It refuses no password."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            Token.objects.filter(user=user).delete()

    def get_help_text(self) -> str:
        return "Changing your password signs out the apps that use your API token."
