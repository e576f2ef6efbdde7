from django.apps import AppConfig
from django.conf import settings


class DsaConfig(AppConfig):
    """EU Digital Services Act: notices, statements of reasons, appeals, guidelines, transparency."""

    name = "dsa"
    verbose_name = "Digital Services Act"

    def ready(self) -> None:
        from accounts.signals import account_deleting, account_exporting
        from comments.signals import status_changed
        from moderation.signals import decision_mailing, item_decided, sanction_applied

        status_changed.connect(_status_changed, dispatch_uid="dsa.status_changed")
        sanction_applied.connect(_sanction_applied, dispatch_uid="dsa.sanction_applied")
        item_decided.connect(_item_decided, dispatch_uid="dsa.item_decided")
        decision_mailing.connect(_mails_the_statement, dispatch_uid="dsa.decision_mailing")
        account_exporting.connect(_export, dispatch_uid="dsa.export")
        account_deleting.connect(_forget, dispatch_uid="dsa.forget")


def _owed_mail(statement) -> None:
    from . import mail

    if statement is not None and statement.is_restriction:
        # A moderator's decision can be undone for a few seconds: the mail waits them out.
        delay = settings.MODERATION_UNDO_SECONDS if statement.decided_by_id else 0
        mail.after_commit("send_statement", statement.pk, delay=delay)


def _status_changed(sender, comment, record, **kwargs) -> None:
    from .statements import for_status_change

    _owed_mail(for_status_change(comment=comment, record=record))


def _sanction_applied(sender, sanction, **kwargs) -> None:
    from .statements import for_sanction

    _owed_mail(for_sanction(sanction=sanction))


def _mails_the_statement(sender, record, **kwargs) -> bool:
    """The statement of reasons of a restriction is its author's email (mail.py), not moderation's."""
    from .models import Statement

    return Statement.objects.filter(audit_record=record, withdrawn_at=None).exists()


def _item_decided(sender, item, moderator, action, record, **kwargs) -> None:
    from moderation.models import ReviewItem

    from . import appeals, notices

    if action == ReviewItem.Decision.ESCALATE:
        return
    if item.comment_id is not None:
        notices.resolve(item=item, moderator=moderator, action=action, record=record)
    appeals.resolve(item=item, moderator=moderator, action=action)


def _forget(sender, user, **kwargs) -> None:
    """A deleted account's words go; its notices, statements and appeals stay as records."""
    from .models import Appeal, Notice

    Notice.objects.filter(notifier=user).update(name="", email="", explanation="[deleted]")
    Appeal.objects.filter(appellant=user).update(text="[deleted]")


def _export(sender, user, **kwargs) -> dict:
    """The reader's statements, notices and appeals, for their "download my data"."""
    from .selectors import export_data

    return export_data(user)
