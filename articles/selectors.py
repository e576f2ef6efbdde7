import json

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from .models import Article, ArticleBlock

# What json.dumps leaves that could end a <script> element early (as django.utils.html.json_script).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def published_articles() -> QuerySet[Article]:
    """Articles readers may see, newest first."""
    return Article.objects.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk")


def _blocks() -> Prefetch:
    blocks = ArticleBlock.objects.order_by("position").prefetch_related(
        Prefetch("teasers", queryset=Article.objects.order_by("-published_at"))
    )
    return Prefetch("blocks", queryset=blocks)


def article_for_page(slug: str) -> Article:
    """A published article with its body blocks and their teasers; raises Article.DoesNotExist."""
    return published_articles().prefetch_related(_blocks()).get(slug=slug)


def add_blocks(article: Article) -> Article:
    """The article with its body blocks and their teasers fetched (two queries)."""
    prefetch_related_objects([article], _blocks())
    return article


def news_article_json_ld(article: Article, *, url: str, publisher: str, extra: dict | None = None) -> str:
    """schema.org NewsArticle for the page, safe to put inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst or None,
        "articleSection": article.section or None,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": url,
        "url": url,
        "publisher": {"@type": "Organization", "name": publisher},
        "articleBody": "\n\n".join(article.paragraphs()),
        "commentCount": article.comment_count,
        **(extra or {}),
    }
    data = {k: v for k, v in data.items() if v is not None}
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
