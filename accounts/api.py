from django.contrib.auth import logout
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import THROTTLED, UNAVAILABLE, StrictCharField, Unavailable
from config.ratelimit import LimiterUnavailable

from . import credentials, selectors, services


class NotificationChoicesOutput(serializers.Serializer):
    reply = serializers.BooleanField()
    approved = serializers.BooleanField()
    featured = serializers.BooleanField()


class AccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(help_text="Shown on comments; the username when none is set.")
    email = serializers.CharField(help_text="Empty when the account has none.")
    email_verified = serializers.BooleanField()
    date_joined = serializers.DateTimeField()
    notifications = NotificationChoicesOutput(help_text="Which emails the reader gets.")


class DeleteInput(serializers.Serializer):
    password = StrictCharField(
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="The current password.",
    )


class MeDetail(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AccountOutput, summary="The signed-in reader's own account")
    def get(self, request):
        return Response(AccountOutput(selectors.account_data(request.user)).data)

    @extend_schema(
        request=DeleteInput,
        responses={204: None, 429: THROTTLED, 503: UNAVAILABLE},
        summary="Delete the signed-in reader's account",
    )
    def delete(self, request):
        """Asks for the reader's current password (400 without the right one; wrong ones count
        toward the login limit, then 429). Their comments stay as deleted placeholders keeping the
        thread's shape; their personal data goes; audit records keep only an anonymous id. Tokens
        stop working."""
        data = DeleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            right = credentials.confirm_password(
                request, user=request.user, password=data.validated_data["password"]
            )
        except credentials.TooManyFailures as refused:
            raise exceptions.Throttled(
                wait=refused.wait, detail="Too many wrong passwords. Try again later."
            ) from None
        except LimiterUnavailable:
            raise Unavailable(
                "Passwords cannot be checked right now. Try again later.", wait=LimiterUnavailable.retry_after
            ) from None
        if not right:
            raise exceptions.ValidationError({"password": ["That is not your password."]})
        services.delete_account(user=request.user)
        if request.session is not None:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExport(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: dict}, summary="Everything the site holds about the signed-in reader")
    def get(self, request):
        """`account`, `ignored_commenters`, `comments` (with texts, statuses, reasons and earlier
        versions), `likes`, `flags`, `sanctions`."""
        response = Response(selectors.export_for(request.user))
        response["Content-Disposition"] = 'attachment; filename="my-newsroom-data.json"'
        return response
