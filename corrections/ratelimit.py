from django.conf import settings

from config.ratelimit import LimiterUnavailable, client_ip, hit

__all__ = ["LimiterUnavailable", "client_ip", "correction_wait"]


def correction_wait(ip: str) -> int | None:
    """Count one report from this address; the seconds to wait when over the limit, else None.

    Reports are anonymous, so with Redis unreachable this fails closed: LimiterUnavailable.
    """
    return hit(
        "correction-ip", ip, limit=settings.CORRECTION_RATE_LIMIT, period=settings.CORRECTION_RATE_PERIOD
    )
