from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        from accounts.signals import account_deleting, account_exporting
        from articles.models import Article
        from delivery import changes

        from . import policy  # noqa: F401  (registers the check that a policy is configured)
        from .mine import anonymize_author, export_data
        from .models import Comment, CommentLike
        from .selectors import article_copy_key

        # A thread shows its article (open, pre-moderated) from a kept copy. A reader's kept state
        # holds their own comments and likes; the services announce what the thread shows.
        changes.on_save(Article, lambda a: [changes.comments(a.slug), changes.copy(article_copy_key(a.slug))])
        changes.on_save(Comment, lambda comment: [changes.reader(comment.author_id)])
        changes.on_save(CommentLike, lambda like: [changes.reader(like.user_id)])
        account_deleting.connect(anonymize_author, dispatch_uid="comments.anonymize_author")
        account_exporting.connect(export_data, dispatch_uid="comments.export_data")
