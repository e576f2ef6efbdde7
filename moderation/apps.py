from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        from comments.signals import comment_submitted

        comment_submitted.connect(_queue_check, dispatch_uid="moderation.queue_check")


def _queue_check(sender, comment_id: int, version: int, **kwargs) -> None:
    from .tasks import check_comment

    check_comment.delay(comment_id, version)
