"""Editors' picks: moderators feature approved comments; readers see them under "Featured"."""

from django.db import transaction
from django.utils import timezone

from . import notify
from .models import Comment
from .services import CommentError, announce_thread, record_event

FEATURED = "comments.comment.featured"
UNFEATURED = "comments.comment.unfeatured"


class NotFeaturable(CommentError):
    """Only an approved comment can be an editors' pick."""


def feature(*, comment_id: int, by) -> tuple[Comment, bool]:
    """Make an approved comment an editors' pick; (comment, changed). Featuring a pick again
    changes nothing and writes nothing. One audit record; the author's mail (if they want it)
    and the thread's new version after the commit. Raises Comment.DoesNotExist, NotFeaturable.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.status != Comment.Status.APPROVED:
            raise NotFeaturable("Only a published comment can be featured.")
        if comment.featured_at is not None:
            return comment, False
        comment.featured_at, comment.featured_by = timezone.now(), by
        comment.save(update_fields=["featured_at", "featured_by"])
        record_event(comment_id=comment.pk, actor=by, actor_name=by.get_username(), action=FEATURED)
        notify.comment_featured(comment_id=comment.pk)
        announce_thread(comment.article_id)
    return comment, True


def unfeature(*, comment_id: int, by) -> tuple[Comment, bool]:
    """Stop featuring a comment; (comment, changed). Idempotent like `feature`; works whatever
    the comment's status, so a pick that was since withheld can still be taken down."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.featured_at is None:
            return comment, False
        comment.featured_at, comment.featured_by = None, None
        comment.save(update_fields=["featured_at", "featured_by"])
        record_event(comment_id=comment.pk, actor=by, actor_name=by.get_username(), action=UNFEATURED)
        announce_thread(comment.article_id)
    return comment, True
