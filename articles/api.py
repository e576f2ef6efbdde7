from django.shortcuts import get_object_or_404
from rest_framework import generics, pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from config import cursors

from . import selectors
from .models import Article, ArticleBlock, SiteSettings


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
