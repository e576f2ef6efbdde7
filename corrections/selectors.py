import json

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article
from articles.selectors import news_article_json_ld

from .models import CorrectionNotice


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


def json_ld_with(article: Article, notices: list[CorrectionNotice], *, url: str) -> str:
    """The article's NewsArticle JSON-LD with these notices, safe to put inside a <script> element."""
    return news_article_json_ld(
        article, url=url, publisher=settings.SITE_NAME, extra=correction_json_ld(notices)
    )


def pretty_json(data: dict) -> str:
    """JSON-LD as the desk reads it in a preview."""
    return json.dumps(data, ensure_ascii=False, indent=2)
