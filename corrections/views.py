from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from articles.models import Article
from articles.selectors import published_articles
from config.views import over_limit

from . import ratelimit, selectors, services
from .forms import CorrectionReportForm


def _correction_article(slug: str) -> Article:
    try:
        return published_articles().get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None


# Its form carries this reader's CSRF token: never cached, here or in front of the site.
@never_cache
def correction_new(request: HttpRequest, slug: str) -> HttpResponse:
    article = _correction_article(slug)
    if request.method != "POST":
        form = CorrectionReportForm(initial={"quote": request.GET.get("quote", "")[: services.MAX_QUOTE]})
        return render(request, "corrections/new.html", {"article": article, "form": form})
    # Anonymous reports are held back only by the limit, which needs Redis: refused while it is down.
    refused = over_limit(
        request,
        lambda: ratelimit.correction_wait(ratelimit.client_ip(request)),
        what="reports",
        back=article,
        template="corrections/too_many.html",
        context={"article": article},
    )
    if refused is not None:
        return refused
    form = CorrectionReportForm(request.POST)
    if not form.is_valid():
        return render(request, "corrections/new.html", {"article": article, "form": form}, status=400)
    data = form.cleaned_data
    services.create_correction_report(
        article=article,
        honeypot_filled=bool(data.pop("website")),
        **data,
    )
    return redirect("corrections:thanks", slug=article.slug)


def correction_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    article = _correction_article(slug)
    return render(request, "corrections/thanks.html", {"article": article})


def corrections_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_corrections(), 50).get_page(request.GET.get("page"))
    return render(request, "corrections/log.html", {"page": page})


def admin_moved(request: HttpRequest, rest: str) -> HttpResponse:
    """The desk's admin pages lived under /admin/articles/ before this app: old links still work.

    308, so a form posted to an old address is posted again to the new one.
    """
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect(f"/admin/corrections/{rest}" + (f"?{query}" if query else ""))
    response.status_code = 308
    return response
