import logging

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(DatabaseError, BrokerError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
    soft_time_limit=30,
    time_limit=60,
)
def check_comment(comment_id: int, version: int) -> str:
    """Run the automated checks on a comment; a redelivered message changes nothing."""
    from .services import moderate_comment

    return moderate_comment(comment_id=comment_id, version=version)


@shared_task
def sweep_pending() -> int:
    """Re-queue comments left pending (broker down when saved, a worker died mid-task)."""
    from django.conf import settings

    from .services import stale_pending

    stale = stale_pending(older_than_seconds=settings.MODERATION_SWEEP_AFTER_SECONDS)
    for comment_id, version in stale:
        check_comment.delay(comment_id, version)
    if stale:
        log.info("sweep re-queued %d pending comments", len(stale))
    return len(stale)
