"""POST /api/v1/auth/token/ trades a username and password for an API token (the login throttle
of credentials.py counts the attempt); DELETE revokes the token it is sent with."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from config.api import THROTTLED, UNAVAILABLE, ErrorOutput, StrictCharField, Unavailable
from config.ratelimit import LimiterUnavailable
from config.tokens import token_expired

from .credentials import login_wait, refused_wait


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
        if not data.is_valid():
            if wait := refused_wait(request):  # over the limit with this very attempt
                raise exceptions.Throttled(wait=wait, detail="Too many failed logins. Try again later.")
            raise exceptions.ValidationError(data.errors)
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
