from celery import shared_task

from config.celery import MAIL_RETRY, TRANSIENT_ERRORS

# Correction reports. Each task loads by id and calls its service, which checks the row first, so a
# message delivered twice does nothing the second time. Mail errors and transient Redis and database
# errors (a deadlock, a serialization failure) are retried with backoff.
# The names are those the tasks had in `articles`, so messages queued before the move still run.


@shared_task(
    name="articles.tasks.check_correction_report",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def check_correction_report(report_id: int) -> None:
    from . import services

    services.check_correction_report(report_id=report_id)


@shared_task(name="articles.tasks.send_correction_acknowledgment", **MAIL_RETRY)
def send_correction_acknowledgment(report_id: int) -> bool:
    from . import mail

    return mail.send_correction_acknowledgment(report_id=report_id)


@shared_task(name="articles.tasks.send_correction_resolution", **MAIL_RETRY)
def send_correction_resolution(report_id: int) -> bool:
    from . import mail

    return mail.send_correction_resolution(report_id=report_id)


@shared_task(name="articles.tasks.sweep_correction_reports")
def sweep_correction_reports() -> int:
    """Queue again what a lost message left undone: checks and emails of correction reports."""
    from . import services

    return services.sweep_correction_reports()
