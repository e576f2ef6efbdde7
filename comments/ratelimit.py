from django.conf import settings

from config.ratelimit import client_ip, hit


def comment_wait(request) -> int | None:
    """Seconds this user or address must wait before posting again, or None."""
    for scope, ident in [("comment-user", str(request.user.pk)), ("comment-ip", client_ip(request))]:
        wait = hit(scope, ident, limit=settings.COMMENT_RATE_LIMIT, period=settings.COMMENT_RATE_PERIOD)
        if wait:
            return wait
    return None


def edit_wait(request) -> int | None:
    """Seconds this user must wait before editing again, or None (API and form share it)."""
    return hit(
        "comment-edit-user",
        str(request.user.pk),
        limit=settings.COMMENT_EDIT_RATE_LIMIT,
        period=settings.COMMENT_EDIT_RATE_PERIOD,
    )
