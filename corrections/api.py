from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Article
from articles.selectors import published_articles
from config.api import THROTTLED, UNAVAILABLE, StrictCharField, count_anonymous

from . import ratelimit, services
from .models import CorrectionReport


class CorrectionInput(serializers.Serializer):
    message = StrictCharField(max_length=services.MAX_MESSAGE)
    quote = StrictCharField(
        max_length=services.MAX_QUOTE, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    prefix = StrictCharField(
        max_length=services.MAX_CONTEXT, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    suffix = StrictCharField(
        max_length=services.MAX_CONTEXT, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    suggestion = StrictCharField(
        max_length=services.MAX_MESSAGE, required=False, allow_blank=True, default=""
    )
    name = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    website = StrictCharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Honeypot: leave empty."
    )

    def validate_quote(self, value: str) -> str:
        return value if value.strip() else ""


class CorrectionOutput(serializers.ModelSerializer):
    article = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CorrectionReport
        fields = ["id", "article", "status", "quote", "message", "suggestion", "created_at"]


class CorrectionCreate(APIView):
    """Report a mistake in an article. Anyone may; limited per address (429 with Retry-After beyond).

    The limit needs Redis: while it is unreachable reports are refused with 503 and Retry-After.
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=CorrectionInput,
        responses={201: CorrectionOutput, 429: THROTTLED, 503: UNAVAILABLE},
        operation_id="corrections_create",
    )
    def post(self, request, slug: str) -> Response:
        try:
            article = published_articles().get(slug=slug)
        except Article.DoesNotExist:
            raise NotFound("No such article.") from None
        count_anonymous(lambda: ratelimit.correction_wait(ratelimit.client_ip(request)), what="reports")
        data = CorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        report = services.create_correction_report(
            article=article, honeypot_filled=bool(fields.pop("website")), **fields
        )
        return Response(CorrectionOutput(report).data, status=status.HTTP_201_CREATED)
