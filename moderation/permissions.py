from rest_framework.permissions import BasePermission

from .queue import is_moderator


class IsModerator(BasePermission):
    """Members of group `Moderators` (and superusers); everyone else gets 403 (401 without credentials)."""

    message = "Only moderators may do this."

    def has_permission(self, request, view) -> bool:
        return is_moderator(request.user)
