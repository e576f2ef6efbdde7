"""The moderator's form posts under /moderation/, and the toolbar's endpoint on the article page.

Every form here is a plain POST that works without JavaScript and redirects back with a message.
static/js/moderation.js sends the same choices to the moderation API (api/views.py) instead;
only the actions the API has no address for (reversing a decision, a note, the toolbar on the
article page) also answer JSON when asked with `Accept: application/json`.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from comments.models import Comment

from . import services
from .errors import QueueError, status_code
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
from .permissions import moderator_required, wants_json

PAST_TENSE = {"approve": "Approved", "reject": "Rejected", "escalate": "Escalated"}


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _done(request: HttpRequest, message: str, default: str, data: dict | None = None) -> HttpResponse:
    """A message and the way back; JSON instead for the script when `data` says what to answer."""
    if data is not None and wants_json(request):
        return JsonResponse({"detail": message, **(data or {})})
    messages.success(request, message)
    return redirect(_next(request, default))


def _failed(
    request: HttpRequest, message: str, status: int, default: str, *, answers_json: bool = False
) -> HttpResponse:
    if answers_json and wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    messages.error(request, message)
    return redirect(_next(request, default))


def _form_errors(form) -> str:
    return " ".join(
        f"{'' if name == '__all__' else name + ': '}{e}" for name, errs in form.errors.items() for e in errs
    )


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
    return _done(request, message, f"{home}?queue={tab}")


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
    except QueueError as error:
        return _failed(request, str(error), status_code(error), home)
    message = f"{PAST_TENSE[action]} the comment by {item.comment.author.get_username()}."
    return _done(request, message, f"{home}?queue={item.queue}")


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
    )


@moderator_required
@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    renewed = services.renew(moderator=request.user)
    return _done(
        request,
        f"Lease renewed on {renewed} item{'s' if renewed != 1 else ''}.",
        reverse("moderation:queue"),
    )


@moderator_required
@require_POST
def release(request: HttpRequest) -> HttpResponse:
    released = services.release(moderator=request.user)
    return _done(
        request,
        f"Gave back {released} item{'s' if released != 1 else ''}.",
        reverse("moderation:queue"),
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
    return _done(request, message, back)


@moderator_required
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    back = reverse("moderation:author", args=[found.user_id])
    try:
        services.lift_sanction(sanction=found, moderator=request.user)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back)
    return _done(request, f"Lifted the {found.kind} of {found.user.get_username()}.", back)


@moderator_required
@require_POST
def reverse_decision(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReverseForm(request.POST)
    back = _next(request, reverse("moderation:queue"))
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, back, answers_json=True)
    try:
        comment = services.reverse_decision(item_id=pk, moderator=request.user, **form.cleaned_data)
    except ReviewItem.DoesNotExist:
        return _failed(request, "There is no such item.", 404, back, answers_json=True)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back, answers_json=True)
    message = f"Reversed: the comment by {comment.author.get_username()} is now {comment.status}."
    return _done(request, message, back, {"comment": comment.pk, "status": comment.status})


@moderator_required
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=pk)
    form = NoteForm(request.POST)
    back = reverse("moderation:author", args=[author.pk])
    if not form.is_valid():
        return _failed(request, _form_errors(form), 400, back, answers_json=True)
    try:
        note = services.add_note(user=author, moderator=request.user, text=form.cleaned_data["text"])
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back, answers_json=True)
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
        return _failed(request, _form_errors(form), 400, back, answers_json=True)
    action = form.cleaned_data["action"]
    try:
        decided = services.decide_comment(comment_id=comment.pk, moderator=request.user, **form.cleaned_data)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back, answers_json=True)
    message = f"{PAST_TENSE.get(action, action)} the comment by {comment.author.get_username()}."
    return _done(request, message, back, {"comment": decided.pk, "status": decided.status})
