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
