"""Every write to comments: posting, editing, deleting, flags and status changes (likes: likes.py)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, SiteSettings
from delivery import changes, pagecache
from delivery.changes import thread_version_key

from . import audit, live, visibility
from .models import AuditRecord, Comment, CommentFlag, CommentRevision
from .policy import posting_refusal  # views and the thread template show it
from .rendering import render_body
from .signals import comment_submitted, flag_added, status_changed

log = logging.getLogger(__name__)
MAX_BODY = 5000


class CommentError(Exception):
    """A rule a reader's action broke; views map it to a 4xx with this message."""


class CommentsClosed(CommentError):
    pass


class NotAllowed(CommentError):
    pass


class InvalidComment(CommentError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class EditWindowPassed(CommentError):
    pass


class AlreadyFlagged(CommentError):
    pass


def too_long(length: int | None = None) -> str:
    """What a writer is told of a text over the limit: it is refused whole, never cut."""
    if length is None:
        return f"The comment is longer than {MAX_BODY:,} characters. Shorten it and send it again."
    return (
        f"The comment is {length:,} characters long; the limit is {MAX_BODY:,}. "
        f"Shorten it by {length - MAX_BODY:,} and send it again."
    )


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if "\x00" in body:
        raise InvalidComment("body", "The comment contains a NUL character.")
    if not body:
        raise InvalidComment("body", "The comment is empty.")
    if len(body) > MAX_BODY:
        raise InvalidComment("body", too_long(len(body)))
    return body


def thread_cache_version(slug: str) -> int:
    return pagecache.versions([thread_version_key(slug)])[0]


def announce_thread(article_id: int) -> str | None:
    """What readers see of the article's comments changed (delivery/changes.py); returns its slug."""
    # Thread caches are keyed by slug, so a read finds the article and its page in one round trip.
    slug = Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()
    if slug:
        changes.announce(changes.comments(slug))
    return slug


def _recount(article_id: int) -> None:
    count = Comment.objects.filter(article_id=article_id, status=Comment.Status.APPROVED).count()
    Article.objects.filter(pk=article_id).update(comment_count=count)


def _queue_checks(comment: Comment) -> None:
    def send() -> None:
        try:
            comment_submitted.send(sender=Comment, comment_id=comment.pk, version=comment.review_version)
        except Exception:
            # The comment is saved; the periodic sweep finds it while it stays pending.
            log.exception("could not queue checks for comment %s; the sweep will retry", comment.pk)

    transaction.on_commit(send)


def _ensure_open(article: Article) -> None:
    site = SiteSettings.load()
    if not article.accepts_comments(close_after_days=site.comments_close_after_days):
        raise CommentsClosed("Comments are closed for this article.")


def ensure_may_post(author, *, action: str = "post") -> None:
    """Refuse an author whom moderation has banned or suspended (NotAllowed says why)."""
    if refusal := posting_refusal(author, action=action):
        raise NotAllowed(refusal)


NO_PARENT = "No such comment to reply to."
NOT_YET_PUBLIC = "Replies open once this comment is published."


def _reply_parent(parent_id: int, *, article: Article, author) -> Comment:
    """The comment a reply answers: a public one (visibility.may_reply_to), on the same article."""
    parent = Comment.objects.filter(pk=parent_id).first()
    if parent is None or not visibility.may_read(parent, author):
        raise InvalidComment("parent", NO_PARENT)
    if not visibility.may_reply_to(parent):
        raise InvalidComment("parent", NOT_YET_PUBLIC)
    if parent.article_id != article.pk:
        raise InvalidComment("parent", "The parent comment belongs to another article.")
    return parent


def post_comment(*, article: Article, author, body: str, parent_id: int | None = None) -> Comment:
    """Save a new comment as pending and queue its checks once the transaction commits.

    A reply names its parent by id; an unknown one is refused (InvalidComment on "parent"), the
    same for the form and the API."""
    body = clean_body(body)
    _ensure_open(article)
    ensure_may_post(author)
    parent = _reply_parent(parent_id, article=article, author=author) if parent_id else None
    comment = Comment(article=article, author=author, body=body, body_html=render_body(body))
    if parent is not None:
        if parent.depth >= Comment.MAX_DEPTH:
            comment.parent_id, comment.depth, comment.reply_to = parent.parent_id, parent.depth, parent
        else:
            comment.parent, comment.depth = parent, parent.depth + 1
    # One INSERT, committed by itself (a round trip; posting is bounded by them), then the checks
    # are queued: inside a caller's transaction, after its commit.
    comment.save()
    _queue_checks(comment)
    return comment


def _publish_edit(comment: Comment) -> None:
    """Put the approved edit in place of the public text, keeping the old text as a revision."""
    written_at = comment.created_at if comment.version == 1 else comment.status_changed_at
    _revision(comment, comment.version, comment.body, written_at)
    comment.body, comment.body_html, comment.version = (
        comment.edit_body,
        comment.edit_body_html,
        comment.edit_version,
    )
    _clear_edit(comment)


def _clear_edit(comment: Comment) -> None:
    comment.edit_body = comment.edit_body_html = comment.edit_status = ""
    comment.edit_version = None


EDIT_FIELDS = ["body", "body_html", "version", "edit_body", "edit_body_html", "edit_version", "edit_status"]


def change_status(
    *,
    comment: Comment | None = None,
    comment_id: int | None = None,
    to_status: str,
    actor=None,
    actor_name: str,
    action: str,
    reasons: list | None = None,
    hold_reason: str = "",
    expect_status: set[str] | None = None,
    expect_version: int | None = None,
    publish_edit: bool = False,
    checked: bool = False,
) -> Comment | None:
    """Move a comment to a status with exactly one audit record, under a row lock.

    Takes the comment or its id; the returned comment carries the new record as `audit_record`.
    Returns None without writing when the comment is no longer in an expected status or at the
    expected version (`review_version`: its waiting edit, else its text), so a redelivered task
    or a decision on text that changed since is refused. `publish_edit` puts a waiting edit in
    place of the public text (the decision judged it); `checked` records that the automated
    checks ran on the version judged.
    """
    if comment is not None:
        comment_id = comment.pk
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if expect_status is not None and comment.status not in expect_status:
            return None
        if expect_version is not None and comment.review_version != expect_version:
            return None
        previous = comment.status
        fields = ["status", "hold_reason", "status_changed_at"]
        if checked:
            comment.checked_version = max(comment.checked_version, comment.review_version)
            fields.append("checked_version")
        if publish_edit and comment.has_waiting_edit:
            _publish_edit(comment)
            fields += EDIT_FIELDS
        comment.status = to_status
        comment.hold_reason = hold_reason
        comment.status_changed_at = timezone.now()
        comment.save(update_fields=fields)
        # Kept on the returned comment, so callers need no query to name the record they wrote.
        comment.audit_record = _audit(comment, previous, actor, actor_name, action, reasons, comment.version)
        status_changed.send(sender=Comment, comment=comment, record=comment.audit_record)
        if Comment.Status.APPROVED in {previous, to_status}:
            _recount(comment.article_id)
        _status_changed(comment, previous)
    return comment


def _status_changed(comment: Comment, previous: str) -> None:
    """Tell who should hear of the new status once it commits: readers of the thread, and of a
    comment just published, the one it answers and the readers with the page open."""
    published = comment.status == Comment.Status.APPROVED and previous in {
        Comment.Status.PENDING,
        Comment.Status.IN_REVIEW,
    }
    if published:
        from .notify import after_published

        after_published(comment)
    slug = announce_thread(comment.article_id)
    if published and slug:
        live.announce_on_commit(comment, slug=slug)


def _audit(comment: Comment, previous: str, actor, actor_name: str, action: str, reasons, version: int):
    return AuditRecord.objects.create(
        comment=comment,
        actor=actor,
        actor_name=actor_name,
        action=action,
        from_status=previous,
        to_status=comment.status,
        reasons=reasons or [],
        comment_version=version,
    )


def record_event(
    *,
    comment_id: int,
    actor=None,
    actor_name: str,
    action: str,
    reasons: list | None = None,
    expect_status: set[str] | None = None,
    expect_version: int | None = None,
    edit_status: str | None = None,
    checked: bool = False,
) -> Comment | None:
    """Record something that happened to a comment without changing its status: checks run on
    a held text, a report, an escalation, an edit held or refused (`edit_status`). One audit
    record naming the version it concerns; None when the comment is no longer in an expected
    status or moved past `expect_version`. The row lock is held to the end of the caller's
    transaction.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        version = comment.review_version
        if expect_status is not None and comment.status not in expect_status:
            return None
        if expect_version is not None and version != expect_version:
            return None
        fields = []
        if checked and comment.checked_version < version:
            comment.checked_version = version
            fields.append("checked_version")
        if edit_status is not None and comment.edit_version is not None:
            comment.edit_status = edit_status
            fields.append("edit_status")
        if fields:
            comment.save(update_fields=fields)
        comment.audit_record = _audit(comment, comment.status, actor, actor_name, action, reasons, version)
    return comment


def mark_checked(*, comment_id: int, version: int) -> None:
    """Note that no check is owed on this version (a deleted or refused comment)."""
    Comment.objects.filter(pk=comment_id, checked_version__lt=version).update(checked_version=version)


def edit_comment(*, comment: Comment, user, body: str) -> Comment:
    """Save a new text, to be judged before it is public.

    A published comment keeps its approved text public while the edit waits beside it
    (`edit_*`); only an approval of the edit's version replaces it. A comment not yet public
    gets the new text in place and stays where it is (pending, or held with its review item):
    an edit never lifts a hold. Either way the checks run on the new version.
    """
    if comment.author_id != user.pk:
        raise NotAllowed("Only the author may edit this comment.")
    if comment.status == Comment.Status.REJECTED:
        raise NotAllowed("This comment was not published, so it can no longer be edited.")
    if comment.status == Comment.Status.DELETED:
        raise NotAllowed("This comment can no longer be edited.")
    window = timedelta(seconds=settings.COMMENT_EDIT_WINDOW_SECONDS)
    if timezone.now() > comment.created_at + window:
        raise EditWindowPassed("The time to edit this comment has passed.")
    body = clean_body(body)
    latest = comment.edit_body if comment.edit_version is not None else comment.body
    if body == latest:
        return comment
    ensure_may_post(user)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status in {Comment.Status.REJECTED, Comment.Status.DELETED}:
            raise NotAllowed("This comment can no longer be edited.")
        now = timezone.now()
        if locked.status == Comment.Status.APPROVED or locked.edit_version is not None:
            if locked.edit_version is not None:  # a newer edit replaces one not yet published
                _revision(locked, locked.edit_version, locked.edit_body, locked.edited_at or now)
            locked.edit_version = (locked.edit_version or locked.version) + 1
            locked.edit_body, locked.edit_body_html = body, render_body(body)
            locked.edit_status = Comment.EditStatus.PENDING
        else:
            _revision(locked, locked.version, locked.body, locked.edited_at or locked.created_at)
            locked.body, locked.body_html = body, render_body(body)
            locked.version += 1
        locked.edited_at = now
        locked.save(update_fields=[*EDIT_FIELDS, "edited_at"])
        locked.audit_record = _audit(
            locked,
            locked.status,
            user,
            user.get_username(),
            audit.COMMENT_EDITED,
            [],
            locked.review_version,
        )
        announce_thread(locked.article_id)
        _queue_checks(locked)
    return locked


def _revision(comment: Comment, version: int, body: str, at) -> None:
    CommentRevision.objects.get_or_create(
        comment=comment, version=version, defaults={"body": body, "created_at": at}
    )


def delete_comment(*, comment: Comment, user) -> Comment:
    if comment.author_id != user.pk:
        raise NotAllowed("Only the author may delete this comment.")
    if comment.status == Comment.Status.DELETED:
        return comment
    return change_status(
        comment_id=comment.pk,
        to_status=Comment.Status.DELETED,
        actor=user,
        actor_name=user.get_username(),
        action=audit.COMMENT_DELETED,
    )


def flag_comment(*, comment: Comment, user, reason: str, note: str = "") -> CommentFlag:
    if comment.author_id == user.pk:
        raise NotAllowed("You cannot flag your own comment.")
    ensure_may_post(user, action="flag")
    note = (note or "").strip()
    if "\x00" in note:
        raise InvalidComment("note", "The note contains a NUL character.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = CommentFlag.objects.create(comment=comment, user=user, reason=reason, note=note)
        except IntegrityError:
            raise AlreadyFlagged("You have already flagged this comment.") from None
        # Moderation weighs it, and may report or withhold the comment, once this commits.
        comment_id, flag_id = comment.pk, flag.pk
        transaction.on_commit(
            lambda: flag_added.send(sender=CommentFlag, comment_id=comment_id, flag_id=flag_id)
        )
    return flag


def set_flag_weight(*, flag_id: int, weight: float, reason: str) -> None:
    """Keep how much a flag counts and why (moderation weighs it)."""
    CommentFlag.objects.filter(pk=flag_id).update(weight=weight, weight_reason=reason[:300])


def set_rejection_reason(*, comment_id: int, reason: str) -> None:
    """Keep what the author is told about their comment's rejection, to show it to them in place."""
    rejected = Comment.objects.filter(pk=comment_id, status=Comment.Status.REJECTED)
    rejected.update(rejection_reason=reason[:200])
    # The author sees it in place, from their state kept per reader (an update sends no signal).
    changes.announce(changes.reader(rejected.values_list("author_id", flat=True).first()))
