"""What a reader may see of a comment: the one place that decides (PRODUCT.md, "Always").

Only approved text is public. Its author also sees their own comment while it waits or after it
was refused (marked so by the caller), and their own edit that is not yet public. Everyone else
sees a deleted comment as "[deleted]" and any other comment that is not public, where the thread's
shape needs it (a parent in a permalink's chain), as "[removed]", without its author. Every address
that renders comment text (thread pages, permalinks, replies, live updates, the API, the reader's
page, emails) takes it from `shown`; queries that pick comments for readers start from `PUBLIC`,
`THREAD` or `readable_by`.
"""

from django.db.models import Q

from .models import Comment

DELETED_TEXT = "[deleted]"  # PRODUCT.md: deleted comments stay as "[deleted]" placeholders
REMOVED_TEXT = "[removed]"
# The states a thread's rows may be in: public ones, and deleted ones kept as placeholders while
# they hold public replies (the thread's partial indexes hold exactly these).
PUBLIC = Comment.Status.APPROVED
THREAD = [Comment.Status.APPROVED, Comment.Status.DELETED]
# An author's own comments that only they see, where they are: waiting, or not published.
OWN_ONLY = [Comment.Status.PENDING, Comment.Status.IN_REVIEW, Comment.Status.REJECTED]

# What `shown` says a reader sees.
TEXT, OWN, DELETED, REMOVED = "public", "own", "deleted", "removed"


def _is_author(comment: Comment, viewer) -> bool:
    return viewer is not None and viewer.is_authenticated and comment.author_id == viewer.pk


def readable_by(viewer) -> Q:
    """Comments this reader may open on their own: public ones, and their own not deleted."""
    if viewer is None or not viewer.is_authenticated:
        return Q(status=PUBLIC)
    return Q(status=PUBLIC) | Q(author=viewer, status__in=OWN_ONLY)


def may_read(comment: Comment, viewer) -> bool:
    return comment.status == PUBLIC or (_is_author(comment, viewer) and comment.status in OWN_ONLY)


def may_reply_to(comment: Comment) -> bool:
    """Replies go under public comments only, one's own too: a reply that outlived its parent's
    refusal would otherwise carry the refused text's place (and, once, its words) to readers."""
    return comment.status == PUBLIC


def shown(comment: Comment, *, viewer=None) -> dict:
    """What this reader sees of the comment: {state, body, body_html}; `state` is TEXT (public),
    OWN (their own, not public), DELETED or REMOVED (a placeholder, without text or author)."""
    if comment.status == PUBLIC:
        state = TEXT
    elif comment.status == Comment.Status.DELETED:
        state = DELETED
    elif _is_author(comment, viewer):
        state = OWN
    else:
        state = REMOVED
    if state in (TEXT, OWN):
        return {"state": state, "body": comment.body, "body_html": comment.body_html}
    placeholder = DELETED_TEXT if state == DELETED else REMOVED_TEXT
    return {"state": state, "body": placeholder, "body_html": f"<p>{placeholder}</p>"}


def own_edit(comment: Comment, *, viewer) -> dict | None:
    """The author's own view of their edit that is not public (waiting or refused); None for
    anyone else, and when there is none."""
    if comment.edit_version is None or not _is_author(comment, viewer):
        return None
    return {
        "status": comment.edit_status,
        "version": comment.edit_version,
        "body": comment.edit_body,
        "body_html": comment.edit_body_html,
    }
