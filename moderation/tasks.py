import contextlib
import logging

from celery import shared_task
from celery.signals import worker_init, worker_process_init
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError

from config.celery import MAIL_RETRY, TRANSIENT_ERRORS

log = logging.getLogger(__name__)
# At most this many check messages wait in the broker at once for new comments (a lane each):
# a worker that takes one decides every comment waiting, so one message per comment would only
# add broker and pool round trips (a bare task costs as much as deciding five comments in a batch).
LANES = 4
LANE_SECONDS = 30  # a lane whose worker died frees itself; the sweep finds what it left
BATCHES_PER_MESSAGE = 20
SWEEP_LANE = "moderation:lane:sweep"  # never taken (nothing adds it): only says "take the rest along"


def request_checks(comment_id: int, version: int) -> None:
    """Queue the checks of a new text, unless a message already waiting will take it along."""
    lane = f"moderation:lane:{comment_id % LANES}"
    try:
        # The strict cache: a lane mark that failed silently would read as "taken" and send nothing.
        fresh = caches["strict"].add(lane, 1, timeout=LANE_SECONDS)
    except Exception:  # the cache is down: one message per comment, as the broker allows
        fresh = True
    if not fresh:
        return
    try:
        check_comment.delay(comment_id, version, lane)
    except Exception:
        # Not sent: free the lane, so the next text sends its own message (the sweep finds this one).
        with contextlib.suppress(Exception):
            caches["strict"].delete(lane)
        raise


@worker_init.connect
def preload_classifier(**kwargs) -> None:
    """Read the harm model's parts in the worker's main process, before it forks its pool."""
    if settings.MODERATION_TOXICITY_CHECK:
        from .classifier import preload

        preload()


@worker_process_init.connect
def load_classifier(**kwargs) -> None:
    """Load the harm model as each worker process starts, once, not on its first comment."""
    if settings.MODERATION_TOXICITY_CHECK:
        from .classifier import model

        model()


@shared_task(
    autoretry_for=(DatabaseError, *TRANSIENT_ERRORS),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
    soft_time_limit=30,
    time_limit=60,
)
def check_comment(comment_id: int, version: int, lane: str = "") -> str:
    """Run the automated checks on a comment and on the others waiting; a redelivered message changes nothing.

    A message sent through a lane (request_checks) stands for every text posted while it waited:
    once the lane is free again, whatever is still waiting is decided before the task ends, so a
    text posted before the lane was freed is decided here, and one posted after sent its own.
    """
    from .services import BATCH, awaiting_checks, moderate_comments, moderate_waiting

    decision = moderate_waiting(comment_id=comment_id, version=version)
    if lane:
        try:
            caches["strict"].delete(lane)
        except Exception:
            log.warning("could not free %s; it frees itself within %d s", lane, LANE_SECONDS)
        for _ in range(BATCHES_PER_MESSAGE):
            waiting = awaiting_checks(limit=BATCH)
            if not waiting or set(moderate_comments(waiting)) == {"skipped"}:
                break
    return decision


@shared_task
def sweep_pending() -> int:
    """Re-queue comments left pending (broker down when saved, a worker died mid-task)."""
    from .models import ModerationSettings
    from .services import BATCH, stale_pending

    stale = stale_pending(older_than_seconds=ModerationSettings.load().sweep_after_seconds)
    # One message per batch, not per comment: each decides its comment, then every text still
    # waiting, batch by batch (check_comment with a lane). After a long outage one message per
    # comment flooded the broker with thousands, sent again on every run until decided.
    for first in range(0, len(stale), BATCH):
        comment_id, version = stale[first]
        check_comment.delay(comment_id, version, SWEEP_LANE)
    if stale:
        log.info("sweep re-queued %d pending comments in %d messages", len(stale), -(-len(stale) // BATCH))
    return len(stale)


@shared_task
def release_expired_leases() -> int:
    """Free review items whose moderator's lease ran out."""
    from .services import release_expired

    return release_expired()


@shared_task(
    autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=10, soft_time_limit=60, time_limit=120
)
def reject_comments_of_banned(user_id: int) -> int:
    """Reject the comments a banned author still has waiting."""
    from .services import reject_comments_of_banned_author

    return reject_comments_of_banned_author(user_id)


@shared_task(
    **MAIL_RETRY,
    soft_time_limit=30,
    time_limit=60,
)
def send_decision_email(comment_id: int, audit_id: int, reason: str = "") -> bool:
    """Tell the author their comment was rejected, or approved after review."""
    from .notify import send_decision_email as send

    return send(comment_id=comment_id, audit_id=audit_id, reason=reason)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def sweep_decision_mail() -> int:
    """Send the decision emails kept while the broker was down (moderation.notify.sweep_owed)."""
    from .notify import sweep_owed

    return sweep_owed()


# Training takes minutes of CPU (embedding the whole training set): longer limits than the default.
@shared_task(soft_time_limit=3600, time_limit=3900)
def retrain_model() -> str:
    """Monthly when MODERATION_RETRAIN_MONTHLY: learn from moderators' decisions, keep the model if worse.

    A replaced model is read by each worker process when it next starts (a deploy, or
    `celery control pool_restart`): a process loads the model once.
    """
    from .services.training import retrain_model as retrain

    outcome = retrain()
    log.info("%s", outcome.summary())
    return outcome.version
