import logging

from django.conf import settings

from config.ratelimit import LimiterUnavailable, client_ip, hit

log = logging.getLogger(__name__)


def comment_wait(request) -> int | None:
    """Seconds this user or address must wait before posting again, or None.

    Only signed-in readers post, so with Redis unreachable the limit fails open: the comment is
    saved and still goes through moderation.
    """
    for scope, ident in [("comment-user", str(request.user.pk)), ("comment-ip", client_ip(request))]:
        try:
            wait = hit(scope, ident, limit=settings.COMMENT_RATE_LIMIT, period=settings.COMMENT_RATE_PERIOD)
        except LimiterUnavailable as error:
            log.warning("comment rate limit not counted, Redis unreachable: %s", error)
            return None
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
