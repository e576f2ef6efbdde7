from django.apps import AppConfig
from django.db.models.signals import post_save


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        from accounts.signals import account_deleting, account_exporting
        from articles.models import Article

        from . import policy  # noqa: F401  (registers the check that a policy is configured)
        from .mine import anonymize_author, export_data

        post_save.connect(_article_saved, sender=Article, dispatch_uid="comments.article_saved")
        account_deleting.connect(anonymize_author, dispatch_uid="comments.anonymize_author")
        account_exporting.connect(export_data, dispatch_uid="comments.export_data")


def _article_saved(sender, instance, **kwargs) -> None:
    from .selectors import forget_article
    from .services import invalidate_thread

    forget_article(instance.slug)
    invalidate_thread(instance.slug)
