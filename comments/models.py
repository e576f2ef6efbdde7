from django.conf import settings
from django.db import models
from django.db.models import F, Q

from articles.models import Article
from articles.records import AppendOnly


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"
        IN_REVIEW = "in_review", "In review"
        DELETED = "deleted"

    class EditStatus(models.TextChoices):
        PENDING = "pending", "Awaiting checks"
        IN_REVIEW = "in_review", "Awaiting a moderator"
        REJECTED = "rejected", "Not published"

    MAX_DEPTH = 2  # top level is 0: threads show three levels

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # Whom a reply answers when it was attached higher than the comment it replies to.
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    # Rendered once when written (escaped, paragraphs, inert links), never on a read.
    body_html = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    version = models.PositiveIntegerField(default=1)
    hold_reason = models.CharField(max_length=200, blank=True)
    # What the author is told about a rejection (a plain category, never the word lists).
    rejection_reason = models.CharField(max_length=200, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    # The newest version the automated checks ran on; the sweep re-queues any comment whose
    # newest text is newer, so no version is ever published unchecked.
    checked_version = models.PositiveIntegerField(default=0)
    # An edit of a published comment waits here while `body` (the approved text) stays public;
    # only once the edit is approved does it replace `body`. A refused edit stays for its author.
    edit_body = models.TextField(blank=True)
    edit_body_html = models.TextField(blank=True)
    edit_version = models.PositiveIntegerField(null=True, blank=True)
    edit_status = models.CharField(max_length=20, choices=EditStatus.choices, blank=True)
    # An editors' pick: when and by which moderator (comments/featuring.py).
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["article", "status", "depth", "created_at", "id"], name="comment_thread_oldest"
            ),
            models.Index(
                fields=["article", "status", "depth", "like_count", "id"], name="comment_thread_top"
            ),
            # Pages of a thread walk these in order: only what readers may see is in them, so a
            # page of an article with 5,000 comments reads about as many rows as one with 50.
            models.Index(
                fields=["article", "depth", "created_at", "id"],
                condition=Q(status__in=["approved", "deleted"]),
                name="comment_visible_by_time",
            ),
            models.Index(
                fields=["article", "depth", "like_count", "id"],
                condition=Q(status__in=["approved", "deleted"]),
                name="comment_visible_by_likes",
            ),
            # A comment's replies in page order: its first replies and "Show N more replies"
            # read a few rows of it however many replies it has.
            models.Index(
                fields=["parent", "created_at", "id"],
                condition=Q(status__in=["approved", "deleted"]),
                name="comment_visible_replies",
            ),
            # The "Featured" tab: an article's picks, newest featured first.
            models.Index(
                fields=["article", "featured_at", "id"],
                condition=Q(status="approved", featured_at__isnull=False),
                name="comment_featured",
            ),
            models.Index(fields=["author", "status", "created_at"], name="comment_author_history"),
            models.Index(fields=["status", "status_changed_at"], name="comment_status_age"),
            models.Index(
                fields=["edited_at"], condition=Q(edit_status="pending"), name="comment_edit_awaiting_checks"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=2), name="comment_depth_at_most_2"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="comment_depth_matches_parent",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_own_parent"),
            models.CheckConstraint(
                condition=Q(featured_at__isnull=True, featured_by__isnull=True)
                | Q(featured_at__isnull=False),
                name="comment_featured_by_only_when_featured",
            ),
            models.CheckConstraint(
                condition=Q(edit_status="", edit_version__isnull=True)
                | Q(~Q(edit_status=""), edit_version__gt=F("version")),
                name="comment_edit_is_newer",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id} on {self.article_id} ({self.status})"

    def get_absolute_url(self) -> str:
        """Its permalink: the article's page that holds it, opened at it (wherever it sits)."""
        return f"{self.article.get_absolute_url()}?comment={self.pk}#c{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_awaiting_moderation(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.IN_REVIEW}

    @property
    def has_waiting_edit(self) -> bool:
        return self.edit_status in {self.EditStatus.PENDING, self.EditStatus.IN_REVIEW}

    @property
    def review_version(self) -> int:
        """The version a decision on this comment judges: its waiting edit, else its text."""
        return self.edit_version if self.has_waiting_edit else self.version

    @property
    def review_body(self) -> str:
        return self.edit_body if self.has_waiting_edit else self.body


class CommentRevision(models.Model):
    """An earlier text of an edited comment; kept for moderators, never overwritten."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["comment", "version"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "version"], name="revision_unique_version"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} v{self.version}"


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="like_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.comment_id}"


class CommentFlag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam"
        ABUSE = "abuse"
        OFF_TOPIC = "off_topic", "Off topic"
        MISINFORMATION = "misinformation"
        OTHER = "other"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_flags")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    # How much this flag counts towards the report and withhold thresholds: set by moderation
    # from the flagger's record and account (moderation/flags.py), with the why for moderators.
    weight = models.FloatField(default=1.0)
    weight_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="flag_once_per_user")]
        indexes = [models.Index(fields=["user", "created_at"], name="flag_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} flags {self.comment_id}: {self.reason}"


class Notification(models.Model):
    """An email owed to a reader about one of their comments, sent in a digest (comments/notify.py)."""

    class Kind(models.TextChoices):
        REPLY = "reply", "A reply to your comment"
        FEATURED = "featured", "Your comment was featured"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "comment"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} about {self.comment_id}"


class AuditRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("Audit records are never edited.")

    def delete(self):
        raise ValueError("Audit records are never deleted.")


class AuditRecord(AppendOnly, models.Model):
    """One change of a comment's status: who, when, what and why. Append-only."""

    records = "Audit records"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="audit_records")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "system" (naming the check when one decided) or the moderator's/author's username.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=100)
    from_status = models.CharField(max_length=20, choices=Comment.Status.choices)
    to_status = models.CharField(max_length=20, choices=Comment.Status.choices)
    reasons = models.JSONField(default=list, blank=True)
    comment_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} on {self.comment_id} by {self.actor_name}"
