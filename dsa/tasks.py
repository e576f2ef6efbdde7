from celery import shared_task

from config.celery import MAIL_RETRY

MAIL_LIMITS = {**MAIL_RETRY, "soft_time_limit": 30, "time_limit": 60}


@shared_task(**MAIL_LIMITS)
def send_statement(statement_id: int) -> bool:
    """Mail a restricted reader their statement of reasons."""
    from .mail import send_statement as send

    return send(statement_id)


@shared_task(**MAIL_LIMITS)
def send_notice_receipt(notice_id: int) -> bool:
    from .mail import send_notice_receipt as send

    return send(notice_id)


@shared_task(**MAIL_LIMITS)
def send_notice_decision(notice_id: int) -> bool:
    from .mail import send_notice_decision as send

    return send(notice_id)


@shared_task(**MAIL_LIMITS)
def send_appeal_answer(appeal_id: int) -> bool:
    from .mail import send_appeal_answer as send

    return send(appeal_id)


@shared_task(soft_time_limit=240, time_limit=300)
def sweep_mail() -> int:
    """Send the statements, receipts, decisions and answers whose message was lost."""
    from .mail import sweep

    return sweep()
