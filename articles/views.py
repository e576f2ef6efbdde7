import copy

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from delivery import cache_keys, changes, fragments, pagecache

from . import selectors
from .models import Article, SiteSettings


def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_articles(), 20).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


def _page_versions(slug: str) -> list[str]:
    return changes.keys(changes.article(slug), changes.comments(slug), changes.site())


# The article page's shared copy for anonymous readers. `comment`: a permalink opens the page that
# holds that comment. Its address is wired to readers' view (config/urls.py), which builds signed-in
# readers' page from shared parts and hands everyone else to `page`, under this same decorator.
article_page_cache = pagecache.public_cache(
    _page_versions,
    params={"sort": cache_keys.word, "cursor": cache_keys.cursor, "comment": cache_keys.row_id},
)


def page(request: HttpRequest, slug: str) -> HttpResponse:
    """The article page as built for any reader, from the database and the kept article part."""
    part = article_part(request, slug)
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


detail = article_page_cache(page)


def keep_until_comments_close(response: HttpResponse, article: Article) -> None:
    """A cached anonymous page ends when the discussion closes: nothing is written then."""
    site = SiteSettings.load()
    closes = article.comments_close_time(close_after_days=site.comments_close_after_days)
    if closes and closes > timezone.now():
        response.public_cache_seconds = min(
            pagecache.ENTRY_SECONDS, int((closes - timezone.now()).total_seconds())
        )


def article_part(request: HttpRequest, slug: str) -> dict | None:
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
