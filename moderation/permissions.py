from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from rest_framework.permissions import BasePermission

MODERATORS_GROUP = "Moderators"


def is_moderator(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=MODERATORS_GROUP).exists())
    )


class IsModerator(BasePermission):
    """Members of group `Moderators` (and superusers); everyone else gets 403 (401 without credentials)."""

    message = "Only moderators may do this."

    def has_permission(self, request, view) -> bool:
        return is_moderator(request.user)


def moderator_required(view):
    """Anonymous visitors go to the login page; logged-in non-moderators get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated and wants_json(request):
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


def moderator_post(view):
    """A moderator's action: POST only, and only for moderators (as `moderator_required`)."""
    return moderator_required(require_POST(view))


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")
