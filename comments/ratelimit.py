import logging

from django.conf import settings

from config.ratelimit import LimiterUnavailable, client_ip, hit_first

log = logging.getLogger(__name__)


def _hit_or_let_through(limits: list[tuple[str, str, int]], *, period: int) -> int | None:
    # Only signed-in readers post and edit, so with Redis unreachable the limits fail open: the
    # text is saved and still goes through moderation.
    try:
        return hit_first(limits, period=period)
    except LimiterUnavailable as error:
        log.warning("%s rate limit not counted, Redis unreachable: %s", limits[0][0], error)
        return None


def comment_wait(request) -> int | None:
    """Seconds this user must wait before posting again, or None (also while Redis is down).

    The user's own limit decides first; the address's, higher, only stops many accounts posting
    from one place, so a reader is not told to wait because a neighbour on the same network
    posted, and an action the user's limit refused does not count against the address.
    """
    limits = [
        ("comment-user", str(request.user.pk), settings.COMMENT_RATE_LIMIT),
        ("comment-ip", client_ip(request), settings.COMMENT_IP_RATE_LIMIT),
    ]
    return _hit_or_let_through(limits, period=settings.COMMENT_RATE_PERIOD)


def edit_wait(request) -> int | None:
    """Seconds this user must wait before editing again, or None (API and form share it)."""
    limits = [("comment-edit-user", str(request.user.pk), settings.COMMENT_EDIT_RATE_LIMIT)]
    return _hit_or_let_through(limits, period=settings.COMMENT_EDIT_RATE_PERIOD)
