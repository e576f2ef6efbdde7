"""Input and output of the Act's API (dsa/api/views.py)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import StrictCharField

from .. import grounds, notices
from ..appeals import MAX_TEXT, open_to_appeal
from ..mail import OTHER_REDRESS
from ..models import Appeal, Notice, Statement

# Input


class NoticeInput(serializers.Serializer):
    comment = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The comment's id.")
    category = serializers.ChoiceField(choices=Notice.Category.choices)
    explanation = StrictCharField(
        max_length=notices.MAX_EXPLANATION, help_text="Why the comment is illegal (required)."
    )
    good_faith = serializers.BooleanField(
        help_text="true: you believe the notice to be accurate and complete (Art. 16(2)(d)); required."
    )
    name = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    email = serializers.EmailField(
        required=False, allow_blank=True, default="", help_text="For the receipt and the decision."
    )

    def validate_good_faith(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(
                "Confirm that you believe the notice to be accurate and complete."
            )
        return value


class AppealInput(serializers.Serializer):
    text = StrictCharField(max_length=MAX_TEXT, help_text="Why the decision is wrong.")


class StatementsQuery(serializers.Serializer):
    cursor = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="The `next` page's cursor."
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class PeriodQuery(serializers.Serializer):
    def get_fields(self) -> dict:
        # "from" is a Python keyword, so the fields cannot be class attributes.
        return {
            "from": serializers.DateField(required=False, help_text="First day (default: six months ago)."),
            "to": serializers.DateField(required=False, help_text="Last day, included (default: today)."),
        }

    def validate(self, data: dict) -> dict:
        if "from" in data and "to" in data and data["from"] > data["to"]:
            raise serializers.ValidationError({"from": ["The period must start before it ends."]})
        return data


class ExportQuery(PeriodQuery):
    def get_fields(self) -> dict:
        return {
            **super().get_fields(),
            "as": serializers.ChoiceField(choices=["csv", "jsonl"], required=False, default="csv"),
        }


# Output


class NoticeOutput(serializers.ModelSerializer):
    comment = serializers.IntegerField(source="comment_id")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "comment", "category", "status", "outcome", "created_at"]

    def get_status(self, notice: Notice) -> str:
        return "decided" if notice.decided_at else "received"


class ClauseOutput(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    number = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class AppealOutput(serializers.ModelSerializer):
    statement = serializers.IntegerField(source="statement_id")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = ["id", "statement", "status", "outcome", "answer", "created_at", "decided_at"]

    def get_status(self, appeal: Appeal) -> str:
        return "decided" if appeal.decided_at else "received"


class RedressOutput(serializers.Serializer):
    can_appeal = serializers.BooleanField(help_text="Whether an appeal would be taken now.")
    appeal_until = serializers.DateTimeField(help_text="Six months after the decision.")
    appeal_url = serializers.CharField(help_text="POST {text} here to appeal (once).")
    appeal = AppealOutput(allow_null=True, help_text="Your appeal, once sent.")
    other = serializers.CharField(help_text="Out-of-court dispute settlement and the courts.")


class StatementOutput(serializers.ModelSerializer):
    comment = serializers.IntegerField(source="comment_id", allow_null=True)
    decision_label = serializers.CharField(source="get_decision_display")
    clause = ClauseOutput(allow_null=True, help_text="The clause of our guidelines (incompatible content).")
    legal_ground = serializers.CharField(help_text="The law relied on (illegal content); empty otherwise.")
    territorial_scope = serializers.SerializerMethodField()
    date = serializers.DateTimeField(source="created_at")
    in_force = serializers.SerializerMethodField()
    redress = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = [
            "id", "comment", "decision", "decision_label", "ground", "clause", "legal_ground", "explanation",
            "facts", "category", "source", "automated_detection", "automated_decision", "territorial_scope",
            "date", "end_date", "in_force", "redress",
        ]  # fmt: skip

    def get_territorial_scope(self, statement: Statement) -> list[str]:
        return grounds.TERRITORIAL_SCOPE

    def get_in_force(self, statement: Statement) -> bool:
        return not (statement.reversed_at or statement.withdrawn_at)

    @extend_schema_field(RedressOutput)
    def get_redress(self, statement: Statement) -> dict:
        appeals = getattr(statement, "own_appeals", [])
        return RedressOutput(
            {
                "can_appeal": open_to_appeal(statement, appealed=bool(appeals)),
                "appeal_until": statement.appeal_until,
                "appeal_url": reverse("dsa-api:appeal", kwargs={"pk": statement.pk}),
                "appeal": appeals[0] if appeals else None,
                "other": OTHER_REDRESS,
            }
        ).data


class StatementPageOutput(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = StatementOutput(many=True)
