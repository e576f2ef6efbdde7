"""The reader's own data: their comments with status and reason and the replies to them (their
page and API), everything comments holds about them for "download my data", and its erasure
when they delete their account."""

from django.db import models
from django.db.models import Q

from accounts.selectors import display_name

from . import audit, visibility
from .models import AuditRecord, Comment, CommentFlag, CommentLike, CommentRevision, Notification
from .selectors import REJECTED_TEXT
from .services import announce_thread, change_status

STATUS_LABELS = {
    Comment.Status.PENDING: "Awaiting moderation",
    Comment.Status.IN_REVIEW: "Awaiting moderation",
    Comment.Status.APPROVED: "Published",
    Comment.Status.REJECTED: "Not published",
    Comment.Status.DELETED: "Deleted",
}


class BadCursor(ValueError):
    pass


def plain_reason(comment: Comment) -> str:
    """Why the comment is not public, as its author is told ("" when it is)."""
    if comment.status == Comment.Status.REJECTED:
        return comment.rejection_reason or REJECTED_TEXT
    if comment.status == Comment.Status.IN_REVIEW:
        return comment.hold_reason or "a moderator will look at it"
    if comment.status == Comment.Status.PENDING:
        return "the automated checks have not run yet"
    return ""


def own_comment_data(comment: Comment, *, viewer) -> dict:
    """One of the reader's own comments as they see it on their page."""
    return {
        "id": comment.pk,
        "article": {"slug": comment.article.slug, "headline": comment.article.headline},
        "url": comment.get_absolute_url(),
        "parent": comment.parent_id,
        "body": visibility.shown(comment, viewer=viewer)["body"],
        "status": comment.status,
        "status_label": STATUS_LABELS[comment.status],
        "reason": plain_reason(comment),
        "edit_status": comment.edit_status or None,
        "created_at": comment.created_at.isoformat(),
        "edited": comment.edited_at is not None,
        "like_count": comment.like_count,
        "featured": comment.featured_at is not None and comment.status == visibility.PUBLIC,
    }


def own_comments(user, *, before: str | None = None, limit: int = 20) -> tuple[list[dict], int | None]:
    """A page of the reader's comments, newest first, and the cursor of the next page (or None).

    Walks the author's history index (author, status, created_at) by id; raises BadCursor.
    """
    comments = Comment.objects.filter(author=user).select_related("article").order_by("-id")
    if before:
        try:
            comments = comments.filter(pk__lt=int(before))
        except ValueError:
            raise BadCursor("Invalid cursor.") from None
    page = list(comments[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return [own_comment_data(c, viewer=user) for c in page], (page[-1].pk if more and page else None)


def replies_to(user, *, limit: int = 20) -> list[dict]:
    """The latest approved replies to the reader's comments, by others."""
    replies = (
        Comment.objects.filter(status=visibility.PUBLIC)
        .filter(Q(parent__author=user, reply_to__isnull=True) | Q(reply_to__author=user))
        .exclude(author=user)
        .select_related("article", "author__profile")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        {
            "id": c.pk,
            "author": display_name(c.author),
            "body": visibility.shown(c, viewer=user)["body"],
            "created_at": c.created_at.isoformat(),
            "article": {"slug": c.article.slug, "headline": c.article.headline},
            "url": c.get_absolute_url(),
            "in_reply_to": c.reply_to_id or c.parent_id,
        }
        for c in replies
    ]


def export_data(sender=None, *, user, **kwargs) -> dict:
    """What comments holds about the reader (accounts.signals.account_exporting)."""
    comments = Comment.objects.filter(author=user).select_related("article").prefetch_related("revisions")
    return {
        "comments": [
            {
                **own_comment_data(c, viewer=user),
                "body": c.body,  # their own words, whatever became of them
                "waiting_edit": c.edit_body or None,
                "earlier_versions": [
                    {"version": r.version, "body": r.body, "written_at": r.created_at.isoformat()}
                    for r in c.revisions.all()
                ],
            }
            for c in comments
        ],
        "likes": [
            {"comment": comment_id, "at": at.isoformat()}
            for comment_id, at in CommentLike.objects.filter(user=user).values_list(
                "comment_id", "created_at"
            )
        ],
        "flags": [
            {"comment": comment_id, "reason": reason, "note": note, "at": at.isoformat()}
            for comment_id, reason, note, at in CommentFlag.objects.filter(user=user).values_list(
                "comment_id", "reason", "note", "created_at"
            )
        ],
    }


def anonymize_author(sender=None, *, user, anonymous_name: str, **kwargs) -> int:
    """Remove a deleted account's words and name from comments (accounts.signals.account_deleting).

    Their comments become deleted placeholders (a reply under one keeps its place), each with its
    audit record; texts, earlier versions, waiting edits and flag notes go; audit records the
    account wrote keep only the anonymous name. Returns how many comments were deleted.
    """
    mine = Comment.objects.filter(author=user)
    deleted = 0
    for comment_id in list(mine.exclude(status=Comment.Status.DELETED).values_list("pk", flat=True)):
        change_status(
            comment_id=comment_id,
            to_status=Comment.Status.DELETED,
            actor=user,
            actor_name=anonymous_name,
            action=audit.ACCOUNT_DELETED,
        )
        deleted += 1
    for article_id in set(mine.values_list("article_id", flat=True)):
        announce_thread(article_id)
    CommentRevision.objects.filter(comment__author=user).delete()
    mine.update(
        body="", body_html="", edit_body="", edit_body_html="", edit_version=None, edit_status="",
        hold_reason="", rejection_reason="",
    )  # fmt: skip
    CommentFlag.objects.filter(user=user).update(note="")
    Notification.objects.filter(recipient=user).delete()
    # The one edit audit records allow: erasing a person's name is owed to them; the record of
    # what happened stays, naming an anonymous id.
    models.QuerySet.update(AuditRecord.objects.filter(actor=user), actor_name=anonymous_name)
    return deleted
