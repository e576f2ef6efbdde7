from django.shortcuts import get_object_or_404
from rest_framework import generics, pagination, serializers

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
    ordering = ("-published_at", "-pk")
    page_size = 20


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
