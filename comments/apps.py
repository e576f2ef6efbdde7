from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        from accounts.signals import account_deleting, account_exporting, name_changed
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
        name_changed.connect(_name_changed, dispatch_uid="comments.name_changed")
        account_exporting.connect(export_data, dispatch_uid="comments.export_data")


def _name_changed(user, **kwargs) -> None:
    """The threads that show the reader's comments show their new name."""
    from delivery import changes

    from .models import Comment

    slugs = Comment.objects.filter(author=user).values_list("article__slug", flat=True).distinct()
    if slugs := list(slugs):
        changes.announce(*[changes.comments(slug) for slug in slugs])
