from django.apps import AppConfig
from django.db.models.signals import post_save


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        from articles.models import Article

        post_save.connect(_article_saved, sender=Article, dispatch_uid="comments.article_saved")


def _article_saved(sender, instance, **kwargs) -> None:
    from .selectors import forget_article
    from .services import invalidate_thread

    forget_article(instance.slug)
    invalidate_thread(instance.slug)
