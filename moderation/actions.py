"""The moderator's form posts under /moderation/, and the toolbar's endpoint on the article page.

Every form here is a plain POST that works without JavaScript and redirects back with a message.
static/js/moderation.js sends the same choices to the moderation API (api/views.py) instead;
only the actions the API has no address for (reversing a decision, a note, the toolbar on the
article page) also answer JSON when asked with `Accept: application/json`.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

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
from .permissions import moderator_post, wants_json

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
        return JsonResponse({"detail": message, **data})
    if message:
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


def _carry_out(
    request: HttpRequest, form, back: str, act: Callable, *, answers_json: bool = False
) -> HttpResponse:
    """Check the form, then `act(cleaned_data)` -> (message, where to go, JSON data or None).

    The form's errors and the services' refusals go back as a message on `back` (as JSON with
    their status code for the script, when the action `answers_json`).
    """
    if form is not None and not form.is_valid():
        return _failed(request, _form_errors(form), 400, back, answers_json=answers_json)
    try:
        message, default, data = act(form.cleaned_data if form is not None else {})
    except ReviewItem.DoesNotExist:
        return _failed(request, "There is no such item.", 404, back, answers_json=answers_json)
    except QueueError as error:
        return _failed(request, str(error), status_code(error), back, answers_json=answers_json)
    return _done(request, message, default, data)


def _author(pk: int) -> tuple:
    """The commenter an action is about, and their page to go back to."""
    author = get_object_or_404(get_user_model(), pk=pk)
    return author, reverse("moderation:author", args=[author.pk])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@moderator_post
def claim(request: HttpRequest) -> HttpResponse:
    home = reverse("moderation:queue")

    def act(data: dict):
        tab = data["queue"]
        items = services.claim(moderator=request.user, queue=tab, count=data["count"])
        if not items:
            return f"Nothing left to claim in the {tab} queue.", f"{home}?queue={tab}", None
        return f"You hold {_plural(len(items), 'item')} of the {tab} queue.", f"{home}?queue={tab}", None

    return _carry_out(request, ClaimForm(request.POST), home, act)


@moderator_post
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    home = reverse("moderation:queue")

    def act(data: dict):
        item = services.decide(item_id=pk, moderator=request.user, **data)
        about = f"the comment by {item.comment.author.get_username()}" if item.comment_id else "the appeal"
        message = f"{PAST_TENSE[data['action']]} {about}."
        return message, f"{home}?queue={item.queue}", None

    return _carry_out(request, DecisionForm(request.POST), home, act)


@moderator_post
def bulk_decision(request: HttpRequest) -> HttpResponse:
    home = reverse("moderation:queue")

    def act(data: dict):
        results = services.decide_many(moderator=request.user, **data)
        done = [str(r.item_id) for r in results if r.ok]
        verb = PAST_TENSE[data["action"]].lower()
        if done:
            messages.success(
                request, f"{verb.capitalize()}: item{'s' if len(done) > 1 else ''} {', '.join(done)}."
            )
        for result in results:
            if not result.ok:
                messages.error(request, f"Item {result.item_id} not {verb}: {result.detail}")
        return "", home, None

    return _carry_out(request, BulkDecisionForm(request.POST), home, act)


@moderator_post
def undo(request: HttpRequest) -> HttpResponse:
    home = reverse("moderation:queue")

    def act(data: dict):
        item = services.undo_last(moderator=request.user)
        return f"Undone: item {item.pk} is open again and yours.", f"{home}?queue={item.queue}", None

    return _carry_out(request, None, home, act)


@moderator_post
def renew(request: HttpRequest) -> HttpResponse:
    renewed = services.renew(moderator=request.user)
    return _done(request, f"Lease renewed on {_plural(renewed, 'item')}.", reverse("moderation:queue"))


@moderator_post
def release(request: HttpRequest) -> HttpResponse:
    released = services.release(moderator=request.user)
    return _done(request, f"Gave back {_plural(released, 'item')}.", reverse("moderation:queue"))


@moderator_post
def reject_pending(request: HttpRequest, pk: int) -> HttpResponse:
    author, back = _author(pk)

    def act(data: dict):
        count = services.reject_all_pending_of(author=author, moderator=request.user, **data)
        return f"Rejected {_plural(count, 'pending comment')} of {author.get_username()}.", back, None

    return _carry_out(request, RejectAllForm(request.POST), back, act)


@moderator_post
def sanction(request: HttpRequest, pk: int) -> HttpResponse:
    author, back = _author(pk)

    # What the moderator chose comes back with a refusal, so nothing has to be typed again.
    fields = ("kind", "duration", "until", "reason", "reject_published")
    request.session["sanction_draft"] = {"user": author.pk, **{f: request.POST.get(f, "") for f in fields}}

    def act(data: dict):
        data.pop("duration", "")  # the form turned it into `until`
        reject_published = data.pop("reject_published", False)
        made = services.apply_sanction(user=author, moderator=request.user, **data)
        request.session.pop("sanction_draft", None)
        until = f" until {made.until:%Y-%m-%d %H:%M} UTC" if made.until else ""
        message = f"{made.name}: {author.get_username()}{until}."
        if made.kind == Sanction.Kind.BAN and reject_published:
            count = services.reject_all_pending_of(
                author=author,
                moderator=request.user,
                reason="other",
                note=f"banned: {made.reason}",
                published=True,
            )
            message += f" Rejected {_plural(count, 'comment')} of theirs."
        return message, back, None

    return _carry_out(request, SanctionForm(request.POST), back, act)


@moderator_post
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    back = reverse("moderation:author", args=[found.user_id])

    def act(data: dict):
        services.lift_sanction(sanction=found, moderator=request.user)
        return f"Lifted the {found.name.lower()} of {found.user.get_username()}.", back, None

    return _carry_out(request, None, back, act)


@moderator_post
def reverse_decision(request: HttpRequest, pk: int) -> HttpResponse:
    back = _next(request, reverse("moderation:queue"))

    def act(data: dict):
        comment = services.reverse_decision(item_id=pk, moderator=request.user, **data)
        message = f"Reversed: the comment by {comment.author.get_username()} is now {comment.status}."
        return message, back, {"comment": comment.pk, "status": comment.status}

    return _carry_out(request, ReverseForm(request.POST), back, act, answers_json=True)


@moderator_post
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    author, back = _author(pk)

    def act(data: dict):
        note = services.add_note(user=author, moderator=request.user, text=data["text"])
        return f"Note kept on {author.get_username()}.", back, {"note": note.pk}

    return _carry_out(request, NoteForm(request.POST), back, act, answers_json=True)


@moderator_post
def comment_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderator toolbar under each comment on the article page."""
    comment = Comment.objects.select_related("article", "author").filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    back = comment.get_absolute_url()

    def act(data: dict):
        decided = services.decide_comment(comment_id=comment.pk, moderator=request.user, **data)
        message = f"{PAST_TENSE.get(data['action'], data['action'])} the comment by {comment.author.get_username()}."
        return message, back, {"comment": decided.pk, "status": decided.status}

    return _carry_out(request, DecisionForm(request.POST), back, act, answers_json=True)
