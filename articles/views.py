from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config import pagecache

from . import selectors
from .models import Article, SiteSettings


def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_articles(), 20).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


def _page_versions(slug: str) -> list[str]:
    return [
        pagecache.article_version_key(slug),
        pagecache.thread_version_key(slug),
        pagecache.SITE_VERSION_KEY,
    ]


# `comment`: a permalink opens the page that holds that comment.
@pagecache.public_cache(_page_versions, params=["sort", "cursor", "comment"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_for_page(slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    site = SiteSettings.load()
    closes = article.comments_close_time(close_after_days=site.comments_close_after_days)
    context = {
        "article": article,
        "comments_accepted": article.accepts_comments(close_after_days=site.comments_close_after_days),
    }
    response = render(request, "articles/detail.html", context)
    if closes and closes > timezone.now():
        # Nothing is written when the discussion closes: the cached page must end by then.
        response.public_cache_seconds = min(
            pagecache.ENTRY_SECONDS, int((closes - timezone.now()).total_seconds())
        )
    return response
