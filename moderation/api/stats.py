"""GET /api/v1/moderation/stats/: the dashboard's figures as JSON."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import stats
from ..permissions import IsModerator


class QueueStateOutput(serializers.Serializer):
    depth = serializers.IntegerField(help_text="Open items in the queue now.")
    oldest_age_seconds = serializers.IntegerField(
        allow_null=True, help_text="Age of the oldest open item; null when the queue is empty."
    )


class QueuesOutput(serializers.Serializer):
    notices = QueueStateOutput()
    premod = QueueStateOutput()
    reported = QueueStateOutput()
    escalated = QueueStateOutput()
    appeals = QueueStateOutput()


class DecisionCountOutput(serializers.Serializer):
    system = serializers.IntegerField(help_text='Decisions by "system" or "system:<check>@<version>".')
    moderators = serializers.IntegerField(help_text="Decisions by people.")


class HourDecisionsOutput(DecisionCountOutput):
    hour = serializers.DateTimeField(help_text="The start of the hour.")


class HourDepthOutput(serializers.Serializer):
    hour = serializers.DateTimeField(
        help_text="The start of the hour; depths are at its end (now for this hour)."
    )
    notices = serializers.IntegerField()
    premod = serializers.IntegerField()
    reported = serializers.IntegerField()
    escalated = serializers.IntegerField()
    appeals = serializers.IntegerField()


class PercentilesOutput(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True)
    p95 = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField(
        help_text="Comments whose first approval or rejection fell in the period."
    )


class OutcomeOutput(serializers.Serializer):
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="0..1 of `total`; null when there were none.")


class AutoOutput(serializers.Serializer):
    total = serializers.IntegerField(help_text="The system's decisions on pending comments.")
    approved = OutcomeOutput()
    rejected = OutcomeOutput()
    review = OutcomeOutput()


class PeriodOutput(serializers.Serializer):
    start = serializers.DateTimeField()
    decisions = DecisionCountOutput()
    time_to_decision_seconds = PercentilesOutput()
    auto = AutoOutput()
    decisions_per_hour = HourDecisionsOutput(many=True)
    depth_per_hour = HourDepthOutput(many=True)


class PeriodsOutput(serializers.Serializer):
    def get_fields(self) -> dict:
        # "24h" and "7d" are not Python names, so the fields cannot be class attributes.
        return {name: PeriodOutput() for name in stats.PERIODS}


class StatsOutput(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    queues = QueuesOutput()
    periods = PeriodsOutput()


class StatsView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        summary="The moderation dashboard's figures",
        description=(
            "Queue depth and oldest item now; for the last 24 hours and 7 days (whole clock hours, "
            "this one included): decisions by the system and by moderators, per hour too; seconds "
            "from posting to the first approval or rejection (p50, p95); the share of pending "
            "comments the checks approved, rejected or sent to review; the depth of each queue at "
            "the end of each hour. Decisions are audit records with action "
            "moderation.comment.approved, .rejected, .held or .escalated."
        ),
        responses=StatsOutput,
    )
    def get(self, request):
        return Response(StatsOutput(stats.figures()).data)
