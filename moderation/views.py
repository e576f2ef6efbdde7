"""The moderator's pages under /moderation/: the queue, an item, an author, a story, search,
sanctions and the dashboard. The pages' forms post to actions.py."""

import hashlib
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_GET

from articles.models import Article

from . import charts, selectors, services
from .forms import (
    DecisionForm,
    RejectAllForm,
    SanctionForm,
)
from .models import ReviewItem
from .permissions import moderator_required

WAITING_SHOWN = 25


def _page_forms(request=None) -> dict:
    # A sanction the services refused comes back as the moderator filled it in (actions.sanction).
    draft = request.session.pop("sanction_draft", None) if request is not None else None
    return {
        "sanction_draft": draft or {},
        "poll_seconds": settings.MODERATION_POLL_SECONDS,
        "decision_form": DecisionForm(),
        "reject_all_form": RejectAllForm(),
        "sanction_form": SanctionForm(),
        "reject_reasons": services.REJECT_REASONS,
    }


# Pages


@moderator_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("queue", "")
    if tab in selectors.DECIDED_TABS:
        return _decided_page(request, tab)
    if tab not in ReviewItem.Queue.values:  # notices of illegal content first, while any wait
        notices = selectors.open_items(ReviewItem.Queue.NOTICES).exists()
        tab = ReviewItem.Queue.NOTICES if notices else ReviewItem.Queue.PREMOD
    article, reason = request.GET.get("article", "")[:100], request.GET.get("reason", "")[:60]
    now = timezone.now()
    here = selectors.filtered(selectors.open_items(tab), article_slug=article, reason=reason)
    mine = Q(claimed_by=request.user, lease_expires_at__gt=now)
    waiting = here.exclude(mine)
    context = {
        "tab": tab,
        "tabs": selectors.tabs(now),
        "article": article,
        "reason": reason,
        "filters": selectors.filter_choices(tab),
        "entries": selectors.entries(here.filter(mine).order_by("created_at", "id"), viewer=request.user),
        "waiting": list(selectors.with_comment(waiting).order_by("created_at", "id")[:WAITING_SHOWN]),
        "waiting_count": waiting.count(),
        "claim_count": settings.MODERATION_CLAIM_COUNT,
        "can_undo": selectors.has_recent_decision(request.user),
        "undo_seconds": settings.MODERATION_UNDO_SECONDS,
        "lease_seconds": settings.MODERATION_LEASE_SECONDS,
        "now": now,
        **_page_forms(request),
    }
    return render(request, "moderation/queue.html", context)


def _decided_page(request: HttpRequest, tab: str) -> HttpResponse:
    now = timezone.now()
    context = {
        "tab": tab,
        "tabs": selectors.tabs(now),
        "decided": list(selectors.recent_decisions(tab)),
        "now": now,
        **_page_forms(request),
    }
    return render(request, "moderation/decided.html", context)


@moderator_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/dashboard.html", {"stats": charts.dashboard()})


@moderator_required
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    """The tabs' counts for an open queue page; 304 while they stay the same."""
    data = {"tabs": selectors.tab_counts()}
    etag = quote_etag(hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest())
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(data)
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@moderator_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    context = {
        "q": q,
        "users": list(selectors.search_users(q)) if len(q) >= 2 else [],
        "comments": selectors.search_comments(q) if len(q) >= 2 else [],
        "too_short": 0 < len(q) < 2,
    }
    return render(request, "moderation/search.html", context)


@moderator_required
@require_GET
def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything waiting on one story, across the queues, decidable here."""
    article = get_object_or_404(Article, slug=slug)
    items = selectors.open_items().filter(comment__article=article).order_by("created_at", "id")
    context = {
        "article": article,
        "entries": selectors.entries(items, viewer=request.user, limit=100),
        "can_undo": selectors.has_recent_decision(request.user),
        "undo_seconds": settings.MODERATION_UNDO_SECONDS,
        **_page_forms(request),
    }
    return render(request, "moderation/article.html", context)


@moderator_required
@require_GET
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.entries(ReviewItem.objects.filter(pk=pk), viewer=request.user)
    if not found:
        raise Http404("No such item.")
    context = {
        "entry": found[0],
        "can_undo": selectors.has_recent_decision(request.user),
        **_page_forms(request),
    }
    return render(request, "moderation/item.html", context)


@moderator_required
@require_GET
def author_page(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=pk)
    context = {
        "author": author,
        "history": selectors.author_history(author, last=20),
        "open_items": list(
            selectors.with_comment(selectors.open_items().filter(comment__author=author)).order_by(
                "created_at"
            )
        ),
        **_page_forms(request),
    }
    return render(request, "moderation/author.html", context)


@moderator_required
@require_GET
def sanctions_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "moderation/sanctions.html", {"sanctions": list(selectors.active_sanctions()[:200])}
    )
