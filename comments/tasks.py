from celery import shared_task
from django.conf import settings

from config.celery import MAIL_RETRY


@shared_task(
    **MAIL_RETRY,
    soft_time_limit=60,
    time_limit=120,
)
def send_notification_digest(recipient_id: int) -> int:
    """Mail the reader what happened to their comments since the last digest."""
    from .notify import send_digest

    return send_digest(recipient_id=recipient_id)


@shared_task
def sweep_notifications() -> int:
    """Send digests whose message was lost (broker down, a worker died)."""
    from .notify import stale_recipients

    stale = stale_recipients(older_than_seconds=settings.NOTIFICATION_DIGEST_SECONDS + 300)
    for recipient_id in stale:
        send_notification_digest.delay(recipient_id)
    return len(stale)
