"""Readers' likes: one per reader and comment, counted on the comment."""

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Comment, CommentLike
from .services import NotAllowed, announce_thread


def _recount_likes(comment_id: int) -> None:
    likes = (
        CommentLike.objects.filter(comment=OuterRef("pk"))
        .values("comment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Comment.objects.filter(pk=comment_id).update(like_count=Coalesce(Subquery(likes), 0))


def like_comment(*, comment: Comment, user) -> None:
    """Idempotent: liking twice is one like."""
    if comment.author_id == user.pk:
        raise NotAllowed("You cannot like your own comment.")
    with transaction.atomic():
        _, created = CommentLike.objects.get_or_create(comment=comment, user=user)
        if created:
            _recount_likes(comment.pk)
            announce_thread(comment.article_id)


def unlike_comment(*, comment: Comment, user) -> None:
    with transaction.atomic():
        deleted, _ = CommentLike.objects.filter(comment=comment, user=user).delete()
        if deleted:
            _recount_likes(comment.pk)
            announce_thread(comment.article_id)
