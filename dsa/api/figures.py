"""GET /api/v1/transparency/: the Act's figures of a period, and the serializers that say their shape."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.models import Sanction

from .. import transparency
from ..models import Notice, Statement
from .serializers import PeriodQuery

DEFAULT_DAYS = 182  # half a year: Art. 24(2) asks for figures every six months


def _counts(name: str, keys, help_text: str = "") -> serializers.Serializer:
    """A count per key (the keys are values such as "DECISION_GROUND_ILLEGAL_CONTENT")."""
    fields = {key: serializers.IntegerField() for key in keys}
    return type(name, (serializers.Serializer,), fields)(help_text=help_text)


class NoticeFiguresOutput(serializers.Serializer):
    received = serializers.IntegerField()
    by_category = _counts("NoticeCategoryCounts", Notice.Category.values)
    from_trusted_flaggers = serializers.IntegerField()
    decided = _counts(
        "NoticeOutcomeCounts", Notice.Outcome.values, "Notices decided in the period, by outcome."
    )
    median_seconds_to_decision = serializers.FloatField(allow_null=True)


class ActionFiguresOutput(serializers.Serializer):
    total = serializers.IntegerField(help_text="Statements of reasons written (restrictions).")
    by_decision = _counts(
        "DecisionCounts", [d for d in Statement.Decision.values if d != Statement.Decision.NO_ACTION]
    )
    by_ground = _counts("GroundCounts", Statement.Ground.values)
    by_automation = _counts("AutomationCounts", Statement.Automation.values)
    by_source = _counts("SourceCounts", Statement.Source.values)
    automated_detection = serializers.IntegerField(help_text="Restrictions of content our checks found.")


class AppealFiguresOutput(serializers.Serializer):
    received = serializers.IntegerField()
    decided = serializers.IntegerField()
    reversed = serializers.IntegerField()
    upheld = serializers.IntegerField()
    median_seconds_to_decision = serializers.FloatField(allow_null=True)


class AutomatedCountOutput(serializers.Serializer):
    count = serializers.IntegerField()
    reversed_by_moderators = serializers.IntegerField()


class AutomatedFiguresOutput(serializers.Serializer):
    rejections = AutomatedCountOutput(help_text="New comments the checks refused.")
    holds = AutomatedCountOutput(help_text="New comments the checks held for a moderator.")
    error_rate = serializers.FloatField(allow_null=True, help_text="Reversed by moderators / all, 0..1.")


class TransparencyOutput(serializers.Serializer):
    def get_fields(self) -> dict:
        return {
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "generated_at": serializers.DateTimeField(),
            "notices": NoticeFiguresOutput(),
            "actions": ActionFiguresOutput(),
            "appeals": AppealFiguresOutput(),
            "automated": AutomatedFiguresOutput(),
            "sanctions": _counts(
                "SanctionCounts",
                [Sanction.Kind.SUSPEND.value, Sanction.Kind.BAN.value],
                "Suspensions and bans given.",
            ),
        }


def period(query_params) -> tuple:
    """The period a request asks for (400 when it makes no sense), six months up to today by default."""
    query = PeriodQuery(data=query_params)
    query.is_valid(raise_exception=True)
    end = query.validated_data.get("to") or timezone.localdate()
    start = query.validated_data.get("from") or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise serializers.ValidationError({"from": ["The period must start before it ends."]})
    return start, end


PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: six months before `to`)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included (default: today)."),
]


class TransparencyReport(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=TransparencyOutput,
        summary="The figures of a period (DSA Art. 15 and 24)",
        description="Notices by category and median time to decision; actions by decision, ground, "
        "automation and source; appeals received, decided, reversed and median time; the automated "
        "checks' decisions reversed by moderators; suspensions and bans.",
    )
    def get(self, request):
        start, end = period(request.query_params)
        return Response(TransparencyOutput(transparency.figures(start=start, end=end)).data)
