from celery import shared_task

from config.celery import MAIL_RETRY

MAIL = {**MAIL_RETRY, "soft_time_limit": 30, "time_limit": 60}


@shared_task(**MAIL)
def send_verification_email(user_id: int) -> bool:
    """Mail the link that verifies the account's current address."""
    from .mail import send_verification_email as send

    return send(user_id=user_id)


@shared_task(**MAIL)
def send_email_change_link(user_id: int, email: str) -> bool:
    """Mail the link that makes `email` the account's address."""
    from .mail import send_email_change_link as send

    return send(user_id=user_id, email=email)


@shared_task(**MAIL)
def send_email_changed_notice(user_id: int, old: str, new: str) -> bool:
    """Tell the old address of a change of address, with the link that undoes it."""
    from .mail import send_email_changed_notice as send

    return send(user_id=user_id, old=old, new=new)


@shared_task(**MAIL)
def send_password_reset(email: str) -> None:
    """Mail a reset link to each account with this address."""
    from .mail import send_password_reset as send

    send(email=email)
