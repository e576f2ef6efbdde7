"""Sign-up and the reader's settings. The reader's page itself (/accounts/me/) is in comments,
which can list their comments; each settings form here posts and returns to it."""

import contextlib
import json
import logging

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from config.ratelimit import LimiterUnavailable, client_ip, hit
from config.views import unavailable

from . import credentials, oidc, selectors, services
from .forms import DeleteAccountForm, EmailForm, NotificationsForm, ProfileForm, SignupForm
from .notifications import KINDS, ME_PATH, BadToken, read_unsubscribe_token

log = logging.getLogger(__name__)


def _next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _back(section: str = "settings"):
    return redirect(f"{ME_PATH}#{section}")


# Each address change, resend and password reset mails a link: a few an hour, so no one mails a
# stranger at will.
VERIFY_MAILS_PER_HOUR = 5
RESETS_PER_HOUR = 5


def _verification_wait(request: HttpRequest) -> bool:
    """True (and says so) when this reader asked for too many verification emails this hour."""
    try:
        wait = hit("verify-mail", str(request.user.pk), limit=VERIFY_MAILS_PER_HOUR, period=3600)
    except LimiterUnavailable as error:  # a signed-in reader: fails open, as comments do
        log.warning("verification mail not counted, Redis unreachable: %s", error)
        return False
    if wait:
        messages.error(
            request, f"You asked for several links already. Try again in {-(-wait // 60)} minutes."
        )
    return bool(wait)


def _form_errors(request: HttpRequest, form) -> None:
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


def _too_many(request: HttpRequest, wait: int, what: str) -> HttpResponse:
    context = {"what": what, "minutes": -(-wait // 60)}
    response = render(request, "accounts/too_many.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


class LoginView(auth_views.LoginView):
    """Django's login form, refused for a while after too many wrong passwords (429, Retry-After)."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            wait = credentials.login_wait(request, username=request.POST.get("username", ""))
        except LimiterUnavailable:
            return unavailable(request, what="logins")
        if not wait:
            response = super().post(request, *args, **kwargs)
            wait = credentials.refused_wait(request)  # this very attempt went over the limit
            if not wait:
                return response
        return _too_many(
            request, wait, "There were too many failed logins for this account or from your address."
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # "Sign in with the newsroom" posts here and is sent on to the provider: CSP's form-action
        # governs that redirect too.
        if providers := oidc.provider_origins(self.request):
            response._csp_update = {"form-action": providers}
        return response


class PasswordReset(auth_views.PasswordResetView):
    """Django's reset, limited per address of the requester, its mail sent by a task: the answer
    takes as long whether or not an account has the address (mailing within the request told)."""

    def form_valid(self, form):
        try:
            wait = hit("password-reset", client_ip(self.request), limit=RESETS_PER_HOUR, period=3600)
        except LimiterUnavailable:
            return unavailable(self.request, what="password resets")
        if wait:
            return _too_many(self.request, wait, "Several reset links were asked for from your address.")
        services.queue_password_reset(email=form.cleaned_data["email"])
        return redirect(self.get_success_url())


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    valid = request.method == "POST" and form.is_valid()
    # An address another account uses is refused, so trying addresses counts like signing up:
    # whose they are is learned a few an hour at most.
    if valid or form.address_taken():
        try:
            wait = credentials.signup_wait(request)
        except LimiterUnavailable:
            return unavailable(request, what="sign-ups")
        if wait:
            return _too_many(request, wait, "Too many accounts were created from your address.")
    if valid:
        user = form.save()
        services.record_signup(user=user, address=client_ip(request))
        if form.cleaned_data["display_name"]:
            # Taken in the meantime: the username shows instead.
            with contextlib.suppress(services.AccountError):
                services.update_profile(user=user, display_name=form.cleaned_data["display_name"])
        login(request, user)
        messages.success(
            request,
            f"Welcome, {user.get_username()}. You can comment now. We sent a link to {user.email} "
            "to confirm your address.",
        )
        return redirect(_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next(request, "")})


def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.verify_email(token=token)
    except services.AccountError as error:
        return render(request, "accounts/verify.html", {"error": str(error)}, status=400)
    return render(request, "accounts/verify.html", {"email": user.email})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    if _verification_wait(request):
        return _back()
    services.queue_verification(user=request.user)
    messages.success(request, f"We sent a new link to {request.user.email}.")
    return _back()


@login_required
@require_POST
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.update_profile(user=request.user, display_name=form.cleaned_data["display_name"])
            messages.success(request, "Your display name was saved.")
        except services.AccountError as error:
            messages.error(request, str(error))
    else:
        _form_errors(request, form)
    return _back()


def _confirmed(request: HttpRequest, form) -> HttpResponse | bool:
    """Whether a form asking for the current password is valid; a 429 or 503 page when the
    password cannot be checked now (too many wrong ones, or Redis unreachable)."""
    try:
        return form.is_valid()
    except credentials.TooManyFailures as refused:
        return _too_many(request, refused.wait, "There were too many wrong passwords for this account.")
    except LimiterUnavailable:
        return unavailable(request, what="password checks", back=f"{ME_PATH}#settings")


@login_required
@require_POST
def email(request: HttpRequest) -> HttpResponse:
    # Counted before anything is checked: no answer below is had for free.
    if _verification_wait(request):
        return _back()
    form = EmailForm(request.POST, request=request)
    valid = _confirmed(request, form)
    if not isinstance(valid, bool):
        return valid
    if not valid:
        _form_errors(request, form)
        return _back()
    new = form.cleaned_data["email"]
    services.request_email_change(user=request.user, email=new)
    messages.success(
        request,
        f"We sent a link to {new}: your address changes once you follow it. Until then it stays "
        f"{request.user.email}.",
    )
    return _back()


@never_cache
@require_http_methods(["GET", "POST"])
def undo_email(request: HttpRequest, token: str) -> HttpResponse:
    """The old address's link: GET asks (mail scanners open links), POST undoes the change."""
    try:
        _, old, _ = services.read_undo_token(token)
        if request.method == "POST":
            user = services.undo_email_change(token=token)
            return render(request, "accounts/undo_email.html", {"done": True, "email": user.email})
    except services.AccountError as error:
        return render(request, "accounts/undo_email.html", {"error": str(error)}, status=400)
    return render(request, "accounts/undo_email.html", {"email": old})


@login_required
@require_POST
def notifications(request: HttpRequest) -> HttpResponse:
    form = NotificationsForm(request.POST)
    form.is_valid()  # booleans: a missing box is off
    services.set_notifications(user=request.user, **form.cleaned_data)
    messages.success(request, "Your email choices were saved.")
    return _back()


@login_required
@require_POST
def ignore(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        services.ignore(user=request.user, ignored_id=user_id)
        name = selectors.display_name(get_user_model().objects.select_related("profile").get(pk=user_id))
        messages.success(request, f"You no longer see comments by {name}. Undo it from your page.")
    except services.AccountError as error:
        messages.error(request, str(error))
        return redirect(_next(request))
    return redirect(_next(request))


@login_required
@require_POST
def unignore(request: HttpRequest, user_id: int) -> HttpResponse:
    services.unignore(user=request.user, ignored_id=user_id)
    messages.success(request, "You see their comments again.")
    return _back("ignored")


# A mail provider's RFC 8058 POST carries no CSRF token: the signed token in the address is the
# proof, and all it can do is switch one kind of email off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click: opening the link (or a mail client's RFC 8058 POST) switches that email off."""
    try:
        user_id, kind = read_unsubscribe_token(token)
    except BadToken as error:
        return render(request, "accounts/unsubscribed.html", {"error": str(error)}, status=400)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(
            request, "accounts/unsubscribed.html", {"error": "This account no longer exists."}, status=404
        )
    services.set_notifications(user=user, **{kind: False})
    # The setting's name is the reader's own words ("replies to my comments"); the page speaks to them.
    what = KINDS[kind][1].replace("my comment", "your comment")
    return render(request, "accounts/unsubscribed.html", {"what": what})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = selectors.export_for(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-newsroom-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, request=request)
    valid = _confirmed(request, form)
    if not isinstance(valid, bool):
        return valid
    if not valid:
        _form_errors(request, form)
        return _back("delete")
    services.delete_account(user=request.user)
    logout(request)
    messages.success(request, "Your account was deleted. Your comments now show as deleted.")
    return redirect("/")
