import json

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Article, ArticleBlock, CorrectionNotice

# What json.dumps leaves that could end a <script> element early (as django.utils.html.json_script).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def published_articles() -> QuerySet[Article]:
    """Articles readers may see, newest first."""
    return Article.objects.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk")


def article_for_page(slug: str) -> Article:
    """A published article with its body blocks and their teasers; raises Article.DoesNotExist."""
    blocks = ArticleBlock.objects.order_by("position").prefetch_related(
        Prefetch("teasers", queryset=Article.objects.order_by("-published_at"))
    )
    return published_articles().prefetch_related(Prefetch("blocks", queryset=blocks)).get(slug=slug)


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


def correction_notices_for(article: Article) -> list[CorrectionNotice]:
    """The article's published correction notices, oldest first; cached, as every page view reads them.

    CorrectionNotice.save drops the cached list.
    """
    key = CorrectionNotice.cache_key(article.pk)
    notices = cache.get(key)
    if notices is None:
        notices = list(article.correction_notices.order_by("published_at", "pk"))
        cache.set(key, notices, 3600)
    return notices


def published_corrections() -> QuerySet[CorrectionNotice]:
    """All correction notices of published articles, newest first, for the public log."""
    return (
        CorrectionNotice.objects.filter(article__published_at__lte=timezone.now())
        .select_related("article")
        .order_by("-published_at", "-pk")
    )


def correction_json_ld(notices: list[CorrectionNotice]) -> dict:
    """The `correction` property of an article's NewsArticle JSON-LD (empty when there is none)."""
    if not notices:
        return {}
    return {
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": n.text,
                "datePublished": n.published_at.isoformat(),
                **({"dateModified": n.updated_at.isoformat()} if n.updated_at else {}),
            }
            for n in notices
        ]
    }


def pretty_json(data: dict) -> str:
    """JSON-LD as the desk reads it in a preview."""
    return json.dumps(data, ensure_ascii=False, indent=2)
