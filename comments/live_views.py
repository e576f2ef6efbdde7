"""GET /articles/<slug>/comments/live/?ids=1,2: the HTML of comments a live page announced, as
the thread shows them to this reader, for the script (static/js/live.js) to put in place."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from accounts.selectors import display_name
from articles.models import Article, SiteSettings

from . import live, selectors, services, visibility
from .forms import FlagForm
from .models import Comment

MAX_ID = 2**63 - 1


def _ids(raw: str) -> list[int] | None:
    parts = raw.split(",")
    if (
        not raw
        or len(parts) > live.SLOTS
        or not all(p.isascii() and p.isdigit() and 0 < int(p) <= MAX_ID for p in parts)
    ):
        return None
    return sorted({int(p) for p in parts})


def _say_whom_they_answer(comments: list[dict]) -> None:
    """A reply shown live may land where its parent is not on the page: it says whom it answers
    ("replying to X"), as deeper replies always do. One query for all of them."""
    parents = {c["parent"] for c in comments if c["parent"] and not (c["reply_to"] or {}).get("author")}
    if not parents:
        return
    found = Comment.objects.filter(pk__in=parents, status=visibility.PUBLIC).select_related("author__profile")
    names = {c.pk: display_name(c.author) for c in found}
    for c in comments:
        if c["parent"] in names and not (c["reply_to"] or {}).get("author"):
            c["reply_to"] = {"id": c["parent"], "author": names[c["parent"]]}


def live_comments(request: HttpRequest, slug: str) -> HttpResponse:
    ids = _ids(request.GET.get("ids", ""))
    if ids is None:
        return HttpResponseBadRequest(f"ids: up to {live.SLOTS} comment ids, comma-separated.")
    try:
        article = selectors.published_article(slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    site = SiteSettings.load()
    accepts = article.accepts_comments(close_after_days=site.comments_close_after_days)
    comments = selectors.live_comments(article, ids, viewer=request.user)
    _say_whom_they_answer(comments)
    context = {
        "article": article,
        "comments": comments,
        "accepts_comments": accepts,
        "posting_refusal": services.posting_refusal(request.user)
        if accepts and request.user.is_authenticated
        else None,
        "flag_form": FlagForm(),
    }
    response = render(request, "comments/live.html", context)
    response["Cache-Control"] = "private, no-store"  # a signed-in reader's carries their token
    return response
