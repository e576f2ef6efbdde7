import logging

from django.conf import settings

from config.ratelimit import LimiterUnavailable, client_ip, hit

log = logging.getLogger(__name__)


def _hit_or_let_through(scope: str, ident: str, *, limit: int, period: int) -> int | None:
    # Only signed-in readers post and edit, so with Redis unreachable the limits fail open: the
    # text is saved and still goes through moderation.
    try:
        return hit(scope, ident, limit=limit, period=period)
    except LimiterUnavailable as error:
        log.warning("%s rate limit not counted, Redis unreachable: %s", scope, error)
        return None


def comment_wait(request) -> int | None:
    """Seconds this user must wait before posting again, or None (also while Redis is down).

    The user's own limit decides; the address's, higher, only stops many accounts posting from
    one place, so a reader is not told to wait because a neighbour on the same network posted.
    """
    limits = [
        ("comment-user", str(request.user.pk), settings.COMMENT_RATE_LIMIT),
        ("comment-ip", client_ip(request), settings.COMMENT_IP_RATE_LIMIT),
    ]
    for scope, ident, limit in limits:
        wait = _hit_or_let_through(scope, ident, limit=limit, period=settings.COMMENT_RATE_PERIOD)
        if wait:
            return wait
    return None


def edit_wait(request) -> int | None:
    """Seconds this user must wait before editing again, or None (API and form share it)."""
    return _hit_or_let_through(
        "comment-edit-user",
        str(request.user.pk),
        limit=settings.COMMENT_EDIT_RATE_LIMIT,
        period=settings.COMMENT_EDIT_RATE_PERIOD,
    )
