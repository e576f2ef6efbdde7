import smtplib

from celery import shared_task
from django.db import DatabaseError


@shared_task(
    autoretry_for=(OSError, smtplib.SMTPException, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    soft_time_limit=30,
    time_limit=60,
)
def send_verification_email(user_id: int) -> bool:
    """Mail the link that verifies the account's current address."""
    from .mail import send_verification_email as send

    return send(user_id=user_id)
