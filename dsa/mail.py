"""The Act's emails: a statement of reasons to each restricted reader, a receipt and then the
decision to each notifier, an answer to each appellant.

Each goes out once. Its row says when (`mailed_at`, `receipt_mailed_at`, ...), written under the
row's lock in the transaction that sends it; a row with nowhere to send to is marked too. Tasks
are queued after the commit; a message lost with the broker is found by `sweep` (beat, every
five minutes), so nothing owed is forgotten.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .models import Appeal, Notice, Statement

log = logging.getLogger(__name__)
SWEEP_BATCH = 200
OTHER_REDRESS = (
    "You may also take the decision to an out-of-court dispute settlement body certified under "
    "Article 21 of the EU Digital Services Act, or to the courts."
)


def after_commit(task_name: str, pk: int, *, delay: int = 0) -> None:
    """Queue a mail task once the transaction commits; the sweep sends it if the broker is down."""

    def queue() -> None:
        from . import tasks

        try:
            getattr(tasks, task_name).apply_async((pk,), countdown=delay)
        except Exception:  # the row is the record: sweep() finds it
            log.exception("could not queue %s(%s); the sweep will send it", task_name, pk)

    transaction.on_commit(queue)


def _date(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def _page(fragment: str) -> str:
    return f"{settings.SITE_URL}{reverse('comments:me')}#{fragment}"


def ground_text(statement: Statement) -> str:
    if statement.ground == Statement.Ground.ILLEGAL_CONTENT:
        return f"Illegal content: {statement.legal_ground}."
    if statement.clause_id:
        clause = statement.clause
        return (
            f"Our community guidelines (version {clause.version.number}), clause {clause.number}, "
            f"“{clause.title}”: {settings.SITE_URL}{clause.get_absolute_url()}"
        )
    return ""


def statement_text(statement: Statement) -> str:
    """A statement of reasons as a reader reads it, in an email."""
    lines = [
        f"The decision: {statement.get_decision_display()}.",
        f"Why: {statement.explanation}",
        f"Ground: {ground_text(statement)}" if statement.ground else "",
        f"Facts: {statement.facts}",
        f"How it was decided: {statement.get_automated_decision_display().lower()}"
        + ("; found by our automated checks." if statement.automated_detection else "."),
        f"What prompted it: {statement.get_source_display().lower()}.",
        f"Date: {_date(statement.created_at)}"
        + (f"; it ends on {_date(statement.end_date)}." if statement.end_date else "."),
    ]
    return "\n".join(line for line in lines if line)


def _send(subject: str, body: str, to: str) -> None:
    send_mail(f"{settings.SITE_NAME}: {subject}", body, settings.DEFAULT_FROM_EMAIL, [to])


def _once(model, pk: int, field: str, compose) -> bool:
    """Lock the row, and unless `field` is set, send what compose(row) gives (subject, body, to)
    and set it; True if a mail went out."""
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk, **{f"{field}__isnull": True}).first()
        if row is None:
            return False
        message = compose(row)
        if message is not None:
            _send(*message)
        setattr(row, field, timezone.now())
        row.save(update_fields=[field])
    return message is not None


SUBJECTS = {
    Statement.Decision.CONTENT_REMOVED: "Your comment was not published",
    Statement.Decision.CONTENT_DISABLED: "Your comment is hidden until a moderator decides",
    Statement.Decision.ACCOUNT_SUSPENDED: "Your account was suspended",
    Statement.Decision.ACCOUNT_TERMINATED: "Your account was banned",
}


def _lead(statement: Statement) -> str:
    """The first sentence, in the words the comment's author is shown beside it (no lists, no scores)."""
    comment = statement.comment
    if comment is None:
        return f"{statement.get_decision_display()}."
    on = f"Your comment on “{comment.article.headline}”"
    if statement.decision == Statement.Decision.CONTENT_DISABLED:
        return f"{on} is hidden until a moderator decides" + (
            f": {comment.hold_reason}." if comment.hold_reason else "."
        )
    return f"{on} was not published" + (
        f" because {comment.rejection_reason}." if comment.rejection_reason else "."
    )


def _statement_mail(statement: Statement):
    """The statement of reasons as the restricted reader's email (it replaces moderation's decision email)."""
    user = statement.user
    if statement.withdrawn_at or not statement.is_restriction or not user.email or not user.is_active:
        return None
    quoted = ""
    if statement.comment is not None:
        body = (
            statement.comment.body
            if len(statement.comment.body) <= 600
            else statement.comment.body[:600] + "…"
        )
        quoted = "What you wrote:\n" + "\n".join(f"> {line}" for line in body.splitlines()) + "\n\n"
    body = (
        f"{_lead(statement)}\n\n{statement_text(statement)}\n\n{quoted}"
        f"How to appeal: you may appeal once, until {_date(statement.appeal_until)}, on your page "
        f"{_page(f'statement-{statement.pk}')}. A moderator other than the one who decided will look "
        f"at it again and answer you. {OTHER_REDRESS}"
    )
    return SUBJECTS[statement.decision], body, user.email


def send_statement(statement_id: int) -> bool:
    return _once(Statement, statement_id, "mailed_at", _statement_mail)


def _receipt(notice: Notice):
    if not notice.reply_to:
        return None
    body = (
        f"We received your notice (reference {notice.pk}) that comment {notice.comment_id} is "
        f"{notice.get_category_display().lower()}. A moderator will look at it and we will tell you "
        "what we decided and why."
    )
    return f"We received your notice {notice.pk}", body, notice.reply_to


def send_notice_receipt(notice_id: int) -> bool:
    return _once(Notice, notice_id, "receipt_mailed_at", _receipt)


def _decision(notice: Notice):
    if not notice.reply_to:
        return None
    what = "the comment was removed" if notice.outcome == Notice.Outcome.REMOVED else "the comment stays up"
    reasons = statement_text(notice.statement) if notice.statement_id else "Its author deleted it."
    appeal = ""
    if notice.outcome == Notice.Outcome.KEPT and notice.statement_id:
        appeal = (
            f"To appeal this decision (once, until {_date(notice.statement.appeal_until)}): {_page('notices')}"
            if notice.notifier_id
            # An appeal is taken from an account: without one, nothing ties a later message to the notice.
            else "You sent the notice without signing in, so we cannot take an appeal of it from you here."
        )
    body = f"About your notice {notice.pk}: {what}.\n\n{reasons}\n\n{appeal}\n{OTHER_REDRESS}".replace(
        "\n\n\n", "\n\n"
    )
    return f"Our decision on your notice {notice.pk}", body, notice.reply_to


def send_notice_decision(notice_id: int) -> bool:
    return _once(Notice, notice_id, "decision_mailed_at", _decision)


def _answer(appeal: Appeal):
    if not appeal.appellant.email:
        return None
    body = (
        f"{appeal.get_outcome_display()}.\n\n{appeal.answer}\n\n"
        f"The decision you appealed: {appeal.statement.get_decision_display()} "
        f"({_date(appeal.statement.created_at)}).\n{OTHER_REDRESS}"
    )
    return "The answer to your appeal", body, appeal.appellant.email


def send_appeal_answer(appeal_id: int) -> bool:
    return _once(Appeal, appeal_id, "answer_mailed_at", _answer)


def sweep() -> int:
    """Send what is owed and older than the undo window plus a minute (its message was lost)."""
    before = timezone.now() - timedelta(seconds=settings.MODERATION_UNDO_SECONDS + 60)
    owed = [
        (send_statement, Statement.objects.filter(mailed_at=None, created_at__lt=before)),
        (send_notice_receipt, Notice.objects.filter(receipt_mailed_at=None, created_at__lt=before)),
        (send_notice_decision, Notice.objects.filter(decision_mailed_at=None, decided_at__lt=before)),
        (send_appeal_answer, Appeal.objects.filter(answer_mailed_at=None, decided_at__lt=before)),
    ]
    sent = 0
    for send, rows in owed:
        for pk in rows.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH]:
            sent += send(pk)
    return sent
