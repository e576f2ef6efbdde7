import logging
import smtplib

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)


@worker_process_init.connect
def load_classifier(**kwargs) -> None:
    """Load the classifier as each worker process starts, once, not on its first comment."""
    if settings.MODERATION_TOXICITY_CHECK:
        from .classifier import model

        model()


@shared_task(
    autoretry_for=(DatabaseError, BrokerError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
    soft_time_limit=30,
    time_limit=60,
)
def check_comment(comment_id: int, version: int) -> str:
    """Run the automated checks on a comment, and on the others waiting; a redelivered message changes nothing."""
    from .services import moderate_waiting

    return moderate_waiting(comment_id=comment_id, version=version)


@shared_task
def sweep_pending() -> int:
    """Re-queue comments left pending (broker down when saved, a worker died mid-task)."""
    from .models import ModerationSettings
    from .services import stale_pending

    stale = stale_pending(older_than_seconds=ModerationSettings.load().sweep_after_seconds)
    for comment_id, version in stale:
        check_comment.delay(comment_id, version)
    if stale:
        log.info("sweep re-queued %d pending comments", len(stale))
    return len(stale)


@shared_task
def release_expired_leases() -> int:
    """Free review items whose moderator's lease ran out."""
    from .queue import release_expired

    return release_expired()


@shared_task(
    autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=10, soft_time_limit=60, time_limit=120
)
def reject_comments_of_banned(user_id: int) -> int:
    """Reject the comments a banned author still has waiting."""
    from .queue import reject_comments_of_banned_author

    return reject_comments_of_banned_author(user_id)


@shared_task(
    autoretry_for=(OSError, smtplib.SMTPException, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    soft_time_limit=30,
    time_limit=60,
)
def send_decision_email(comment_id: int, audit_id: int, reason: str = "") -> bool:
    """Tell the author their comment was rejected, or approved after review."""
    from .notify import send_decision_email as send

    return send(comment_id=comment_id, audit_id=audit_id, reason=reason)
