from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config import pagecache
from config.views import unavailable

from . import ratelimit, selectors, services
from .forms import CorrectionReportForm
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


@pagecache.public_cache(_page_versions, params=["sort", "cursor"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_for_page(slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    site = SiteSettings.load()
    notices = selectors.correction_notices_for(article)
    closes = article.comments_close_time(close_after_days=site.comments_close_after_days)
    context = {
        "article": article,
        "comments_accepted": article.accepts_comments(close_after_days=site.comments_close_after_days),
        "correction_notices": notices,
        "correction_form": CorrectionReportForm(auto_id="cd-%s"),
        "json_ld": selectors.news_article_json_ld(
            article,
            url=request.build_absolute_uri(article.get_absolute_url()),
            publisher=settings.SITE_NAME,
            extra=selectors.correction_json_ld(notices),
        ),
    }
    response = render(request, "articles/detail.html", context)
    if closes and closes > timezone.now():
        # Nothing is written when the discussion closes: the cached page must end by then.
        response.public_cache_seconds = min(
            pagecache.ENTRY_SECONDS, int((closes - timezone.now()).total_seconds())
        )
    return response


def _correction_article(slug: str) -> Article:
    try:
        return selectors.published_articles().get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None


# Its form carries this reader's CSRF token: never cached, here or in front of the site.
@never_cache
def correction_new(request: HttpRequest, slug: str) -> HttpResponse:
    article = _correction_article(slug)
    if request.method != "POST":
        form = CorrectionReportForm(initial={"quote": request.GET.get("quote", "")[: services.MAX_QUOTE]})
        return render(request, "articles/correction_new.html", {"article": article, "form": form})
    try:
        wait = ratelimit.correction_wait(ratelimit.client_ip(request))
    except ratelimit.LimiterUnavailable:
        # Anonymous reports are held back only by the limit, which needs Redis: refuse for now.
        return unavailable(request, what="reports", back=article)
    if wait:
        response = render(
            request,
            "articles/corrections/too_many.html",
            {"article": article, "minutes": -(-wait // 60)},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    form = CorrectionReportForm(request.POST)
    if not form.is_valid():
        return render(request, "articles/correction_new.html", {"article": article, "form": form}, status=400)
    data = form.cleaned_data
    services.create_correction_report(
        article=article,
        honeypot_filled=bool(data.pop("website")),
        **data,
    )
    return redirect("articles:correction_thanks", slug=article.slug)


def correction_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    article = _correction_article(slug)
    return render(request, "articles/corrections/thanks.html", {"article": article})


def corrections_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_corrections(), 50).get_page(request.GET.get("page"))
    return render(request, "articles/corrections/log.html", {"page": page})
