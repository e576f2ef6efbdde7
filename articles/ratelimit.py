from django.conf import settings

from config.ratelimit import client_ip, hit

__all__ = ["client_ip", "correction_wait"]


def correction_wait(ip: str) -> int | None:
    """Count one report from this address; the seconds to wait when over the limit, else None."""
    return hit(
        "correction-ip", ip, limit=settings.CORRECTION_RATE_LIMIT, period=settings.CORRECTION_RATE_PERIOD
    )
