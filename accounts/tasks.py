from celery import shared_task

from config.celery import MAIL_RETRY


@shared_task(
    **MAIL_RETRY,
    soft_time_limit=30,
    time_limit=60,
)
def send_verification_email(user_id: int) -> bool:
    """Mail the link that verifies the account's current address."""
    from .mail import send_verification_email as send

    return send(user_id=user_id)
