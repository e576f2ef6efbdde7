import smtplib

from celery import shared_task

from config.celery import TRANSIENT_ERRORS

# Correction reports. Each task loads by id and calls its service, which checks the row first, so a
# message delivered twice does nothing the second time. Mail errors and transient Redis and database
# errors (a deadlock, a serialization failure) are retried with backoff.
MAIL_ERRORS = (OSError, smtplib.SMTPException)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def check_correction_report(report_id: int) -> None:
    from . import services

    services.check_correction_report(report_id=report_id)


@shared_task(
    autoretry_for=MAIL_ERRORS + TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_correction_acknowledgment(report_id: int) -> bool:
    from . import services

    return services.send_correction_acknowledgment(report_id=report_id)


@shared_task(
    autoretry_for=MAIL_ERRORS + TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_correction_resolution(report_id: int) -> bool:
    from . import services

    return services.send_correction_resolution(report_id=report_id)


@shared_task
def sweep_correction_reports() -> int:
    """Queue again what a lost message left undone: checks and emails of correction reports."""
    from . import services

    return services.sweep_correction_reports()
