from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        from accounts.signals import account_exporting
        from comments.signals import comment_submitted
        from delivery import changes

        from .models import Sanction

        # Why a reader may not post is part of their kept state (delivery/reader_store.py).
        changes.on_save(Sanction, lambda sanction: [changes.reader(sanction.user_id)])
        comment_submitted.connect(_queue_check, dispatch_uid="moderation.queue_check")
        account_exporting.connect(_export_sanctions, dispatch_uid="moderation.export_sanctions")


def _queue_check(sender, comment_id: int, version: int, **kwargs) -> None:
    from .tasks import request_checks

    request_checks(comment_id, version)


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
