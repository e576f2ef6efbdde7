from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, pagination, permissions, serializers, status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from config import cursors
from config.api import THROTTLED, UNAVAILABLE, StrictCharField, Unavailable

from . import ratelimit, selectors, services
from .models import Article, ArticleBlock, CorrectionReport, SiteSettings


class TeaserOutput(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Article
        fields = ["slug", "headline", "standfirst", "section", "url"]


class BlockOutput(serializers.ModelSerializer):
    teasers = TeaserOutput(many=True)

    class Meta:
        model = ArticleBlock
        fields = ["kind", "text", "label", "heading", "teasers"]


class ArticleOutput(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url")
    comments_open = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "slug",
            "headline",
            "section",
            "standfirst",
            "published_at",
            "updated_at",
            "url",
            "comment_count",
            "comments_open",
        ]

    def get_comments_open(self, article: Article) -> bool:
        site = self.context.get("site_settings") or SiteSettings.load()
        return article.accepts_comments(close_after_days=site.comments_close_after_days)


class ArticleDetailOutput(ArticleOutput):
    body = BlockOutput(source="blocks", many=True)

    class Meta(ArticleOutput.Meta):
        fields = [*ArticleOutput.Meta.fields, "body"]


class ArticlePages(pagination.CursorPagination):
    """DRF's cursor pages, their cursors written and read by the site's one strict cursor codec."""

    ordering = ("-published_at", "-pk")
    page_size = 20

    def encode_cursor(self, cursor: pagination.Cursor) -> str:
        token = cursors.encode([cursor.offset, cursor.reverse, cursor.position])
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request) -> pagination.Cursor | None:
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None
        try:
            offset, reverse, position = cursors.decode(
                token, cursors.integer, cursors.boolean, cursors.optional(cursors.moment)
            )
        except cursors.BadCursor as error:
            raise ValidationError({"cursor": [str(error)]}) from None
        return pagination.Cursor(offset=min(offset, self.offset_cutoff), reverse=reverse, position=position)


class ArticleList(generics.ListAPIView):
    serializer_class = ArticleOutput
    pagination_class = ArticlePages

    def get_queryset(self):
        return selectors.published_articles()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "site_settings": SiteSettings.load()}


class ArticleDetail(generics.RetrieveAPIView):
    serializer_class = ArticleDetailOutput

    def get_object(self) -> Article:
        try:
            return selectors.article_for_page(self.kwargs["slug"])
        except Article.DoesNotExist:
            return get_object_or_404(Article.objects.none())


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
            article = selectors.published_articles().get(slug=slug)
        except Article.DoesNotExist:
            raise NotFound("No such article.") from None
        try:
            wait = ratelimit.correction_wait(ratelimit.client_ip(request))
        except ratelimit.LimiterUnavailable:
            raise Unavailable(
                "Reports cannot be taken right now. Try again later.",
                wait=ratelimit.LimiterUnavailable.retry_after,
            ) from None
        if wait:
            raise Throttled(wait=wait, detail="Too many reports from your address. Try again later.")
        data = CorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        report = services.create_correction_report(
            article=article, honeypot_filled=bool(fields.pop("website")), **fields
        )
        return Response(CorrectionOutput(report).data, status=status.HTTP_201_CREATED)
