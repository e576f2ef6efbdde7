from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .models import Article, SiteSettings


def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_articles(), 20).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_for_page(slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    site = SiteSettings.load()
    context = {
        "article": article,
        "comments_accepted": article.accepts_comments(close_after_days=site.comments_close_after_days),
        "json_ld": selectors.news_article_json_ld(
            article, url=request.build_absolute_uri(article.get_absolute_url()), publisher=settings.SITE_NAME
        ),
    }
    return render(request, "articles/detail.html", context)


def correction_new(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.published_articles().get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    return render(request, "articles/correction_new.html", {"article": article})
