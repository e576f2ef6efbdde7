from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.signals import account_exporting
        from comments.signals import comment_submitted, flag_added
        from corrections.signals import report_checking
        from delivery import changes

        from . import standing
        from .models import Sanction

        # Why a reader may not post is part of their kept state (delivery/reader_store.py).
        changes.on_save(Sanction, lambda sanction: [changes.reader(sanction.user_id)])
        comment_submitted.connect(_queue_check, dispatch_uid="moderation.queue_check")
        flag_added.connect(_weigh_flag, dispatch_uid="moderation.weigh_flag")
        report_checking.connect(_check_report, dispatch_uid="moderation.check_report")
        account_exporting.connect(_export_sanctions, dispatch_uid="moderation.export_sanctions")
        # Who may post: comments read the standing kept here, never the sanctions.
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                standing.sanction_changed, sender=Sanction, dispatch_uid=f"moderation.standing.{name}"
            )


def _queue_check(sender, comment_id: int, version: int, **kwargs) -> None:
    from .tasks import request_checks

    request_checks(comment_id, version)


def _weigh_flag(sender, comment_id: int, flag_id: int, **kwargs) -> None:
    """Weigh a reader's committed flag and report or withhold the comment past the thresholds."""
    from .flags import on_flag

    on_flag(comment_id=comment_id, flag_id=flag_id)


def _check_report(sender, text: str, **kwargs) -> str | None:
    """Banned words in a correction report: `banned_words: <the words>`, or None."""
    from .services import correction_report_refusal

    return correction_report_refusal(text=text)


def _export_sanctions(sender, user, **kwargs) -> dict:
    """The sanctions on a reader, for their "download my data"."""
    from .models import Sanction

    return {
        "sanctions": [
            {"kind": kind, "reason": reason, "until": until, "created_at": created_at, "lifted_at": lifted_at}
            for kind, reason, until, created_at, lifted_at in Sanction.objects.filter(user=user)
            .order_by("created_at")
            .values_list("kind", "reason", "until", "created_at", "lifted_at")
        ]
    }
