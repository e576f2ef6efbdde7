from django.conf import settings

from config.ratelimit import LimiterUnavailable, client_ip, hit

__all__ = ["LimiterUnavailable", "client_ip", "notice_wait"]


def notice_wait(ip: str) -> int | None:
    """Count one notice from this address; the seconds to wait when over the limit, else None.

    Notices may be anonymous, so with Redis unreachable this fails closed: LimiterUnavailable.
    """
    return hit("notice-ip", ip, limit=settings.NOTICE_RATE_LIMIT, period=settings.NOTICE_RATE_PERIOD)
