"""The moderator's pages under /moderation/, and the toolbar's endpoint on the article page.

Every form here is a plain POST that works without JavaScript and redirects back with a message;
static/js/moderation.js sends the same forms with `Accept: application/json` and gets JSON.
"""

import hashlib
import json
from dataclasses import asdict
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from comments.models import Comment

from . import selectors, services, stats
from .errors import Changed, QueueError, status_code
from .forms import (
    BulkDecisionForm,
    ClaimForm,
    DecisionForm,
    NoteForm,
    RejectAllForm,
    ReverseForm,
    SanctionForm,
)
from .models import ReviewItem, Sanction
from .permissions import is_moderator

WAITING_SHOWN = 25
PAST_TENSE = {"approve": "Approved", "reject": "Rejected", "escalate": "Escalated"}


def moderator_required(view):
    """Anonymous visitors go to the login page; logged-in non-moderators get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated and _wants_json(request):
            # fetch would follow a redirect to the login page and take its 200 for success.
            return JsonResponse({"detail": "Your session ended: log in again."}, status=401)
        if not request.user.is_authenticated:
            # After logging in the browser comes back with a GET, which a POST-only view refuses.
            back = request.get_full_path() if request.method == "GET" else reverse("moderation:queue")
            return redirect_to_login(back)
        if not is_moderator(request.user):
            raise PermissionDenied("Only moderators may do this.")
        return view(request, *args, **kwargs)

    return wrapped


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _done(request: HttpRequest, message: str, default: str, data: dict | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": message, **(data or {})})
    messages.success(request, message)
    return redirect(_next(request, default))


def _failed(request: HttpRequest, message: str, status: int, default: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    messages.error(request, message)
    return redirect(_next(request, default))


def _form_errors(form) -> str:
    return " ".join(
        f"{'' if name == '__all__' else name + ': '}{e}" for name, errs in form.errors.items() for e in errs
    )


def _page_forms() -> dict:
    return {
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
    if tab not in ReviewItem.Queue.values:
        tab = ReviewItem.Queue.PREMOD
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
        **_page_forms(),
    }
    return render(request, "moderation/queue.html", context)


def _decided_page(request: HttpRequest, tab: str) -> HttpResponse:
    now = timezone.now()
    context = {
        "tab": tab,
        "tabs": selectors.tabs(now),
        "decided": list(selectors.recent_decisions(tab)),
        "now": now,
        **_page_forms(),
    }
    return render(request, "moderation/decided.html", context)


@moderator_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/dashboard.html", {"stats": stats.dashboard()})


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
        **_page_forms(),
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
        **_page_forms(),
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
        **_page_forms(),
    }
    return render(request, "moderation/author.html", context)


@moderator_required
@require_GET
def sanctions_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "moderation/sanctions.html", {"sanctions": list(selectors.active_sanctions()[:200])}
    )


# Actions


@moderator_required
@require_POST
def claim(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST)
    home = reverse("moderation:queue")
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, home)
    tab = form.cleaned_data["queue"]
    try:
        items = services.claim(moderator=request.user, queue=tab, count=form.cleaned_data["count"])
    except QueueError as error:
        return _failed(request, str(error), status_code(error), home)
    message = f"You hold {len(items)} item{'s' if len(items) != 1 else ''} of the {tab} queue."
    if not items:
        message = f"Nothing left to claim in the {tab} queue."
    return _done(request, message, f"{home}?queue={tab}", {"items": [item.pk for item in items]})


@moderator_required
@require_POST
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    home = reverse("moderation:queue")
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, home)
    action = form.cleaned_data["action"]
    try:
        item = services.decide(item_id=pk, moderator=request.user, **form.cleaned_data)
    except ReviewItem.DoesNotExist:
        return _failed(request, "There is no such item.", 404, home)
    except Changed as error:
        if _wants_json(request):  # the script shows the item again with the new text
            return JsonResponse({"detail": str(error), "changed": True}, status=status_code(error))
        return _failed(request, str(error), status_code(error), home)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), home)
    message = f"{PAST_TENSE[action]} the comment by {item.comment.author.get_username()}."
    data = {"item": item.pk, "action": action, "undo_seconds": settings.MODERATION_UNDO_SECONDS}
    return _done(request, message, f"{home}?queue={item.queue}", data)


@moderator_required
@require_POST
def bulk_decision(request: HttpRequest) -> HttpResponse:
    form = BulkDecisionForm(request.POST)
    home = reverse("moderation:queue")
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, home)
    try:
        results = services.decide_many(
            items=form.cleaned_data["items"],
            moderator=request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except QueueError as error:
        return _failed(request, str(error), status_code(error), home)
    done = [r.item_id for r in results if r.ok]
    if _wants_json(request):
        return JsonResponse({"results": [asdict(r) for r in results]})
    verb = PAST_TENSE[form.cleaned_data["action"]].lower()
    if done:
        messages.success(request, f"{verb.capitalize()}: item{'s' if len(done) > 1 else ''} {_ids(done)}.")
    for result in results:
        if not result.ok:
            messages.error(request, f"Item {result.item_id} not {verb}: {result.detail}")
    return redirect(_next(request, home))


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


@moderator_required
@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    home = reverse("moderation:queue")
    try:
        item = services.undo_last(moderator=request.user)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), home)
    return _done(
        request,
        f"Undone: item {item.pk} is open again and yours.",
        f"{home}?queue={item.queue}",
        {"item": item.pk},
    )


@moderator_required
@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    renewed = services.renew(moderator=request.user)
    return _done(
        request,
        f"Lease renewed on {renewed} item{'s' if renewed != 1 else ''}.",
        reverse("moderation:queue"),
        {"renewed": renewed},
    )


@moderator_required
@require_POST
def release(request: HttpRequest) -> HttpResponse:
    released = services.release(moderator=request.user)
    return _done(
        request,
        f"Gave back {released} item{'s' if released != 1 else ''}.",
        reverse("moderation:queue"),
        {"released": released},
    )


@moderator_required
@require_POST
def reject_pending(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=pk)
    form = RejectAllForm(request.POST)
    back = reverse("moderation:author", args=[author.pk])
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, back)
    try:
        count = services.reject_all_pending_of(author=author, moderator=request.user, **form.cleaned_data)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back)
    name = author.get_username()
    return _done(
        request,
        f"Rejected {count} pending comment{'s' if count != 1 else ''} of {name}.",
        back,
        {"rejected": count},
    )


@moderator_required
@require_POST
def sanction(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=pk)
    form = SanctionForm(request.POST)
    back = reverse("moderation:author", args=[author.pk])
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, back)
    try:
        made = services.apply_sanction(user=author, moderator=request.user, **form.cleaned_data)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back)
    until = f" until {made.until:%Y-%m-%d %H:%M} UTC" if made.until else ""
    message = f"{made.get_kind_display()}: {author.get_username()}{until}."
    return _done(request, message, back, {"sanction": made.pk})


@moderator_required
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    back = reverse("moderation:author", args=[found.user_id])
    try:
        services.lift_sanction(sanction=found, moderator=request.user)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back)
    return _done(
        request, f"Lifted the {found.kind} of {found.user.get_username()}.", back, {"sanction": found.pk}
    )


@moderator_required
@require_POST
def reverse_decision(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReverseForm(request.POST)
    back = _next(request, reverse("moderation:queue"))
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, back)
    try:
        comment = services.reverse_decision(item_id=pk, moderator=request.user, **form.cleaned_data)
    except ReviewItem.DoesNotExist:
        return _failed(request, "There is no such item.", 404, back)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back)
    message = f"Reversed: the comment by {comment.author.get_username()} is now {comment.status}."
    return _done(request, message, back, {"comment": comment.pk, "status": comment.status})


@moderator_required
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=pk)
    form = NoteForm(request.POST)
    back = reverse("moderation:author", args=[author.pk])
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, back)
    try:
        note = services.add_note(user=author, moderator=request.user, text=form.cleaned_data["text"])
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back)
    return _done(request, f"Note kept on {author.get_username()}.", back, {"note": note.pk})


@moderator_required
@require_POST
def comment_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderator toolbar under each comment on the article page."""
    comment = Comment.objects.select_related("article", "author").filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    form = DecisionForm(request.POST)
    back = f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, back)
    action = form.cleaned_data["action"]
    try:
        decided = services.decide_comment(comment_id=comment.pk, moderator=request.user, **form.cleaned_data)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back)
    message = f"{PAST_TENSE.get(action, action)} the comment by {comment.author.get_username()}."
    return _done(request, message, back, {"comment": decided.pk, "status": decided.status})
