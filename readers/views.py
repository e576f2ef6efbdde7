"""The article page's address (config/urls.py wires it here, ahead of articles' own pattern)."""

from django.http import HttpRequest, HttpResponse

from articles import views as articles
from delivery import pagecache

from . import pages


@articles.article_page_cache
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """A signed-in reader's page from the shared page and their kept state (pages.py); what that
    does not serve, and every anonymous reader's page, articles' view builds."""
    if not pagecache.is_anonymous(request):
        page = pages.page(request, slug, lambda: articles.article_part(request, slug))
        if page is not None:
            return page
    return articles.page(request, slug)
