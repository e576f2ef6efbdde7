import copy

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from delivery import cache_keys, fragments, pagecache

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
@pagecache.public_cache(
    _page_versions,
    params={"sort": cache_keys.word, "cursor": cache_keys.cursor, "comment": cache_keys.row_id},
)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    if not pagecache.is_anonymous(request) and settings.SIGNED_IN_PAGE:
        # The page from a shared copy and the reader's kept state (readers/pages.py): it reads
        # comments and moderation, above this app, hence by name. None: built here as for anyone.
        page = import_string(settings.SIGNED_IN_PAGE)(request, slug, lambda: _article_part(request, slug))
        if page is not None:
            return page
    part = _article_part(request, slug)
    if part is None:
        raise Http404("No such article")
    article, html = part["article"], part["html"]
    context = {
        "article": article,
        "article_html": fragments.personal(html, request)
        if request.user.is_authenticated
        else SafeString(html),
        "json_ld": SafeString(part["json_ld"]),
    }
    response = render(request, "articles/detail.html", context)
    if not request.user.is_authenticated:
        keep_until_comments_close(response, article)
    return response


def keep_until_comments_close(response: HttpResponse, article: Article) -> None:
    """A cached anonymous page ends when the discussion closes: nothing is written then."""
    site = SiteSettings.load()
    closes = article.comments_close_time(close_after_days=site.comments_close_after_days)
    if closes and closes > timezone.now():
        response.public_cache_seconds = min(
            pagecache.ENTRY_SECONDS, int((closes - timezone.now()).total_seconds())
        )


def _article_part(request: HttpRequest, slug: str) -> dict | None:
    """The published article, its HTML and JSON-LD, the same for all anonymous or all signed-in
    readers: built once per version (the article, its blocks, teasers and notices took ~6 ms of
    a signed-in page). None when there is no such published article."""
    signed_in = request.user.is_authenticated
    url = request.build_absolute_uri(reverse("articles:detail", args=[slug]))

    def build() -> dict | None:
        try:
            article = selectors.published_articles().get(slug=slug)
        except Article.DoesNotExist:
            return None
        page_article = selectors.add_blocks(copy.copy(article))  # the kept article without them
        context = {"article": page_article, **(fragments.SHARED_CONTEXT if signed_in else {})}
        return {
            "article": article,
            "html": render_to_string("articles/_article.html", context),
            # The JSON-LD's URL is this address, part of the key.
            "json_ld": render_to_string(
                "articles/_json_ld.html", {"article": page_article, "request": request}
            ),
        }

    if cache_keys.canonical_host(request) is None:  # another spelling of the host: not kept
        return build()
    return pagecache.versioned(f"article-html:{int(signed_in)}:{url}", _page_versions(slug), build)
