"""The Act's API: notices (anyone), a reader's statements and appeals, the staff's export.

Views parse input, call one service or selector and map its refusals (dsa.errors) to 400, 403,
404 and 409.
"""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import CONFLICT, THROTTLED, UNAVAILABLE, ErrorOutput, count_anonymous, refusals
from moderation.permissions import is_moderator

from .. import appeals, export, notices, ratelimit, selectors
from ..errors import Refused
from .figures import PERIOD_PARAMETERS, period
from .serializers import (
    AppealInput,
    AppealOutput,
    ExportQuery,
    NoticeInput,
    NoticeOutput,
    StatementPageOutput,
    StatementsQuery,
)


def _refusals():
    """The services' refusals (dsa.errors) as API errors of their own status: 400, 403, 404, 409."""
    return refusals(Refused, lambda error: error.status)


class NoticeCreate(APIView):
    """Report a comment as illegal content (DSA Art. 16). Anyone may; limited per address."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=NoticeInput,
        responses={201: NoticeOutput, 429: THROTTLED, 503: UNAVAILABLE},
        summary="Send a notice of illegal content",
        description="The comment goes to the moderators' `notices` queue and stays published meanwhile; "
        "the notifier (when they gave an address, or is signed in) gets a receipt and then the "
        "decision with its reasons. Limited per address (429); while the limit cannot be counted, 503.",
    )
    def post(self, request):
        count_anonymous(lambda: ratelimit.notice_wait(ratelimit.client_ip(request)), what="notices")
        data = NoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        with _refusals():
            notice = notices.file_notice(comment_id=fields.pop("comment"), notifier=request.user, **fields)
        return Response(NoticeOutput(notice).data, status=status.HTTP_201_CREATED)


class MyStatements(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[StatementsQuery],
        responses=StatementPageOutput,
        summary="Statements of reasons for every restriction of the reader's comments or account",
    )
    def get(self, request):
        query = StatementsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data["limit"]
        page, more = selectors.statements_of(
            request.user, before=query.validated_data.get("cursor"), limit=limit
        )
        next_url = request.build_absolute_uri(f"{request.path}?limit={limit}&cursor={more}") if more else None
        return Response(StatementPageOutput({"next": next_url, "results": page}).data)


class StatementAppeal(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=AppealInput,
        responses={
            201: AppealOutput,
            403: OpenApiResponse(ErrorOutput, description="The six months to appeal are over."),
            404: OpenApiResponse(ErrorOutput, description="No such decision for you."),
            409: CONFLICT,
        },
        summary="Appeal a decision (DSA Art. 20)",
        description="The restricted reader, or the signed-in notifier of a notice the decision left "
        "unanswered by a removal, appeals once, within six months. 409 when already appealed or "
        "when the decision no longer stands. A moderator other than the one who decided answers.",
    )
    def post(self, request, pk: int):
        data = AppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        with _refusals():
            appeal = appeals.file_appeal(statement_id=pk, user=request.user, text=data.validated_data["text"])
        return Response(AppealOutput(appeal).data, status=status.HTTP_201_CREATED)


class IsModeratorOrStaff(permissions.BasePermission):
    message = "Only staff may do this."

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and (request.user.is_staff or is_moderator(request.user))
        )


class StatementExport(APIView):
    permission_classes = [IsModeratorOrStaff]

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter(
                "as", str, enum=["csv", "jsonl"], default="csv", description="The file's format."
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/jsonl"): OpenApiTypes.STR,
        },
        summary="The period's statements of reasons in the EU Transparency Database's fields",
        description="One row (CSV, lists as JSON arrays) or one JSON object per line per statement, "
        "with exactly the fields the database's API takes, ready to submit.",
    )
    def get(self, request):
        start, end = period(request.query_params)
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data["as"]
        rows = (export.tdb_row(s) for s in export.statements(start, end).iterator(chunk_size=500))
        body = export.as_csv(rows) if kind == "csv" else export.as_jsonl(rows)
        response = StreamingHttpResponse(
            body, content_type="text/csv" if kind == "csv" else "application/jsonl"
        )
        name = f"statements-of-reasons-{start}-{end}.{kind}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
