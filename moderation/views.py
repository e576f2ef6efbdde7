"""The moderator's pages under /moderation/, and the toolbar's endpoint on the article page.

Every form here is a plain POST that works without JavaScript and redirects back with a message;
static/js/moderation.js sends the same forms with `Accept: application/json` and gets JSON.
"""

import hashlib
import json
from dataclasses import asdict
from datetime import timedelta
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
from comments.models import AuditRecord, Comment, CommentFlag, CommentRevision

from . import queue, selectors, stats
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
        if not queue.is_moderator(request.user):
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


# Reads for the pages


TAB_LABELS = [*ReviewItem.Queue.choices, ("approved", "Approved"), ("rejected", "Rejected")]


def _tabs(now) -> list[dict]:
    counts = selectors.tab_counts(now)
    return [{"queue": value, "label": label, **counts[value]} for value, label in TAB_LABELS]


def _filtered(items, *, article: str, reason: str):
    if article:
        items = items.filter(comment__article__slug=article)
    if reason.startswith("flag:"):
        items = items.filter(comment__flags__reason=reason.removeprefix("flag:")).distinct()
    elif reason:
        items = items.filter(reason=reason)
    return items


def _filter_choices(tab: str) -> dict:
    open_here = queue.open_items(tab)
    articles = (
        Article.objects.filter(pk__in=open_here.values("comment__article_id"))
        .order_by("headline")
        .values_list("slug", "headline")
    )
    checks = sorted(set(open_here.order_by().values_list("reason", flat=True)) - {""})
    return {
        "articles": list(articles),
        "reasons": [(r, r) for r in checks]
        + [(f"flag:{code}", f"Flagged: {label.lower()}") for code, label in CommentFlag.Reason.choices],
    }


def _details(items: list[ReviewItem], viewer) -> list[dict]:
    """Everything a moderator sees of each item, in a fixed number of queries plus one history per author."""
    ids = [item.comment_id for item in items]
    flags, revisions, checks, trail = {}, {}, {}, {}
    for flag in CommentFlag.objects.filter(comment_id__in=ids).select_related("user").order_by("created_at"):
        flags.setdefault(flag.comment_id, []).append(flag)
    for revision in CommentRevision.objects.filter(comment_id__in=ids).order_by("comment_id", "version"):
        revisions.setdefault(revision.comment_id, []).append(revision)
    for record in AuditRecord.objects.filter(comment_id__in=ids).order_by("id"):
        trail.setdefault(record.comment_id, []).append(record)
        if record.actor_name.startswith("system"):
            checks[record.comment_id] = record  # the latest automated verdicts win
    histories = {}
    now = timezone.now()
    shown = []
    for item in items:
        comment = item.comment
        if comment.author_id not in histories:
            histories[comment.author_id] = queue.author_history(comment.author)
        shown.append(
            {
                "item": item,
                "comment": comment,
                "checks": checks[comment.pk].reasons if comment.pk in checks else [],
                "checked_by": checks[comment.pk].actor_name if comment.pk in checks else "",
                "flags": flags.get(comment.pk, []),
                "flag_weight": sum(f.weight for f in flags.get(comment.pk, [])),
                "revisions": revisions.get(comment.pk, []),
                "changed": bool(comment.edited_at and comment.edited_at > item.created_at and item.is_open),
                "trail": trail.get(comment.pk, []),
                "history": histories[comment.author_id],
                "held_by_me": item.held_by(viewer, now),
                "held_by_other": item.is_open
                and item.claimed_by_id not in (None, viewer.pk)
                and item.lease_expires_at > now,
            }
        )
    return shown


def _with_comment(items):
    return items.select_related(
        "comment__article", "comment__author", "comment__parent__author", "claimed_by", "decided_by"
    )


def _page_forms() -> dict:
    return {
        "poll_seconds": settings.MODERATION_POLL_SECONDS,
        "decision_form": DecisionForm(),
        "reject_all_form": RejectAllForm(),
        "sanction_form": SanctionForm(),
        "reject_reasons": queue.REJECT_REASONS,
    }


def _recent_decision(user) -> bool:
    since = timezone.now() - timedelta(seconds=settings.MODERATION_UNDO_SECONDS)
    return ReviewItem.objects.filter(decided_by=user, decided_at__gte=since).exists()


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
    held = _filtered(
        queue.open_items(tab).filter(claimed_by=request.user, lease_expires_at__gt=now),
        article=article,
        reason=reason,
    )
    waiting = _filtered(queue.open_items(tab), article=article, reason=reason).exclude(
        claimed_by=request.user, lease_expires_at__gt=now
    )
    held = list(_with_comment(held).order_by("created_at", "id"))
    context = {
        "tab": tab,
        "tabs": _tabs(now),
        "article": article,
        "reason": reason,
        "filters": _filter_choices(tab),
        "entries": _details(held, request.user),
        "waiting": list(_with_comment(waiting).order_by("created_at", "id")[:WAITING_SHOWN]),
        "waiting_count": waiting.count(),
        "claim_count": settings.MODERATION_CLAIM_COUNT,
        "can_undo": _recent_decision(request.user),
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
        "tabs": _tabs(now),
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
    items = _with_comment(queue.open_items().filter(comment__article=article)).order_by("created_at", "id")
    context = {
        "article": article,
        "entries": _details(list(items[:100]), request.user),
        "can_undo": _recent_decision(request.user),
        "undo_seconds": settings.MODERATION_UNDO_SECONDS,
        **_page_forms(),
    }
    return render(request, "moderation/article.html", context)


@moderator_required
@require_GET
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_with_comment(ReviewItem.objects.all()), pk=pk)
    context = {
        "entry": _details([item], request.user)[0],
        "can_undo": _recent_decision(request.user),
        **_page_forms(),
    }
    return render(request, "moderation/item.html", context)


@moderator_required
@require_GET
def author_page(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=pk)
    context = {
        "author": author,
        "history": queue.author_history(author, last=20),
        "open_items": list(
            _with_comment(queue.open_items().filter(comment__author=author)).order_by("created_at")
        ),
        **_page_forms(),
    }
    return render(request, "moderation/author.html", context)


@moderator_required
@require_GET
def sanctions_page(request: HttpRequest) -> HttpResponse:
    active = (
        Sanction.objects.filter(lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
        .select_related("user", "created_by")
        .order_by("-created_at")
    )
    return render(request, "moderation/sanctions.html", {"sanctions": list(active[:200])})


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
        items = queue.claim(moderator=request.user, queue=tab, count=form.cleaned_data["count"])
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, home)
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
        item = queue.decide(item_id=pk, moderator=request.user, **form.cleaned_data)
    except ReviewItem.DoesNotExist:
        return _failed(request, "There is no such item.", 404, home)
    except queue.Changed as error:
        if _wants_json(request):  # the script shows the item again with the new text
            return JsonResponse({"detail": str(error), "changed": True}, status=error.status)
        return _failed(request, str(error), error.status, home)
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, home)
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
        results = queue.decide_many(
            items=form.cleaned_data["items"],
            moderator=request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, home)
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
        item = queue.undo_last(moderator=request.user)
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, home)
    return _done(
        request,
        f"Undone: item {item.pk} is open again and yours.",
        f"{home}?queue={item.queue}",
        {"item": item.pk},
    )


@moderator_required
@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    renewed = queue.renew(moderator=request.user)
    return _done(
        request,
        f"Lease renewed on {renewed} item{'s' if renewed != 1 else ''}.",
        reverse("moderation:queue"),
        {"renewed": renewed},
    )


@moderator_required
@require_POST
def release(request: HttpRequest) -> HttpResponse:
    released = queue.release(moderator=request.user)
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
        count = queue.reject_all_pending_of(author=author, moderator=request.user, **form.cleaned_data)
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, back)
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
        made = queue.apply_sanction(user=author, moderator=request.user, **form.cleaned_data)
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, back)
    until = f" until {made.until:%Y-%m-%d %H:%M} UTC" if made.until else ""
    message = f"{made.get_kind_display()}: {author.get_username()}{until}."
    return _done(request, message, back, {"sanction": made.pk})


@moderator_required
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    back = reverse("moderation:author", args=[found.user_id])
    try:
        queue.lift_sanction(sanction=found, moderator=request.user)
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, back)
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
        comment = queue.reverse_decision(item_id=pk, moderator=request.user, **form.cleaned_data)
    except ReviewItem.DoesNotExist:
        return _failed(request, "There is no such item.", 404, back)
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, back)
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
        note = queue.add_note(user=author, moderator=request.user, text=form.cleaned_data["text"])
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, back)
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
        decided = queue.decide_comment(comment_id=comment.pk, moderator=request.user, **form.cleaned_data)
    except queue.QueueError as error:
        return _failed(request, str(error), error.status, back)
    message = f"{PAST_TENSE.get(action, action)} the comment by {comment.author.get_username()}."
    return _done(request, message, back, {"comment": decided.pk, "status": decided.status})
