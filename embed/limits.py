from django.conf import settings

from config.ratelimit import client_ip, hit


def story_wait(request) -> int | None:
    """Count one new story from this address; the seconds to wait when over STORY_RATE_LIMIT.

    Anyone may ask for a page's story, so the limit is what keeps made-up addresses on a
    permitted site from filling the articles table: with Redis unreachable it fails closed
    (LimiterUnavailable). Stories that exist are served without counting.
    """
    return hit(
        "story-ip", client_ip(request), limit=settings.STORY_RATE_LIMIT, period=settings.STORY_RATE_PERIOD
    )
