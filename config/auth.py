"""Credentials: the token endpoint, and throttles on guessing passwords and on mass sign-ups
(fixed windows in config.ratelimit, so nothing stays locked past its window)."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .api import THROTTLED, UNAVAILABLE, ErrorOutput, StrictCharField, Unavailable
from .ratelimit import LimiterUnavailable, blocked, client_ip, hit
from .tokens import token_expired

log = logging.getLogger(__name__)


def _account(username: str) -> str:
    # Hashed: any text a client sends becomes a safe cache key; case-folded, so "Admin" and
    # "admin" share one count.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


def _failure_limits(request, username: str) -> list[tuple[str, str, int]]:
    return [
        ("login-account", _account(username), settings.LOGIN_FAILURE_LIMIT),
        ("login-ip", client_ip(request), settings.LOGIN_FAILURE_IP_LIMIT),
    ]


def login_wait(request, *, username: str) -> int | None:
    """Seconds before this account may be tried again from this address, or None; counts nothing.

    Logins are anonymous and the limit is all that stops password guessing, so with Redis
    unreachable this fails closed: LimiterUnavailable (the views answer 503).
    """
    waits = [
        blocked(scope, ident, limit=limit, period=settings.LOGIN_FAILURE_PERIOD)
        for scope, ident, limit in _failure_limits(request, username)
    ]
    return max((w for w in waits if w), default=None)


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing every password while the account or the address is over its
    limit of failures, wherever the login comes from: the login form, the token endpoint, or the
    admin's own login page (which answers with its usual error instead of a 429)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and isinstance(username, str):
            try:
                wait = login_wait(request, username=username)
            except LimiterUnavailable:  # the admin's login page: refused like a wrong password
                raise PermissionDenied("Failed logins cannot be counted now.") from None
            if wait:
                # Stops the other backends too; Django still sends user_login_failed.
                raise PermissionDenied("Too many failed logins.")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user, as Django's backend reads them, with their profile in the same query:
        what they post shows their display name (a POST read it with a query of its own)."""
        users = get_user_model()._default_manager.select_related("profile")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def count_failed_login(sender, credentials: dict, request=None, **kwargs) -> None:
    """Count one wrong password against the account and the address: the receiver of Django's
    user_login_failed (connected in config.apps)."""
    username = credentials.get("username")
    if request is None or not isinstance(username, str):
        return
    for scope, ident, limit in _failure_limits(request, username):
        try:
            hit(scope, ident, limit=limit, period=settings.LOGIN_FAILURE_PERIOD)
        except LimiterUnavailable as error:  # the login has failed anyway; the next one is refused
            log.warning("failed login not counted, Redis unreachable: %s", error)
            return


def signup_wait(request) -> int | None:
    """Count one new account from this address; the seconds to wait when over the limit, else None.

    Sign-ups are anonymous: with Redis unreachable this fails closed (LimiterUnavailable).
    """
    return hit(
        "signup-ip", client_ip(request), limit=settings.SIGNUP_RATE_LIMIT, period=settings.SIGNUP_RATE_PERIOD
    )


class TokenInput(AuthTokenSerializer):
    username = StrictCharField(label="Username", max_length=150, write_only=True)
    password = StrictCharField(
        label="Password",
        max_length=4096,
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


TokenOutput = inline_serializer("TokenOutput", {"token": serializers.CharField()})


class AuthToken(APIView):
    """POST trades a username and password for a token; DELETE revokes the token it is sent with."""

    permission_classes = []

    def get_authenticators(self):
        # The token, or the newsroom's JWT (settings name it: DELETE revokes its jti); never the
        # session, whose CSRF rules are for forms.
        return [
            auth()
            for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES
            if auth is not SessionAuthentication
        ]

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def perform_authentication(self, request) -> None:
        # Lazy: a client whose old token expired still gets a new one by POSTing its password.
        pass

    @extend_schema(
        description="Trade a username and password for an API token (the same token until it expires "
        "or the password changes).",
        auth=[],
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(ErrorOutput, description="Wrong username or password."),
            429: THROTTLED,
            503: UNAVAILABLE,
        },
        operation_id="auth_token_create",
    )
    def post(self, request) -> Response:
        username = request.data.get("username") if isinstance(request.data, dict) else None
        username = username if isinstance(username, str) else ""
        try:
            wait = login_wait(request, username=username)
        except LimiterUnavailable:
            raise Unavailable(
                "Logins cannot be taken right now. Try again later.", wait=LimiterUnavailable.retry_after
            ) from None
        if wait:
            raise exceptions.Throttled(wait=wait, detail="Too many failed logins. Try again later.")
        data = TokenInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=data.validated_data["user"])
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=data.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(
        description="Revoke the token this request is sent with.",
        request=None,
        responses={
            204: OpenApiResponse(description="The token is revoked."),
            401: OpenApiResponse(description="No valid token was sent."),
        },
        operation_id="auth_token_destroy",
    )
    def delete(self, request) -> Response:
        if request.auth is not None:
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
