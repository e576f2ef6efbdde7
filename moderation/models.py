from django.conf import settings
from django.db import models
from django.db.models import Q

from comments.models import Comment


class WordListEntry(models.Model):
    class Kind(models.TextChoices):
        BANNED = "banned", "Banned (reject)"
        SUSPECT = "suspect", "Suspect (review)"

    phrase = models.CharField(
        max_length=100, unique=True, help_text="A word or phrase, matched as whole words."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "phrase"]
        verbose_name = "word list entry"
        verbose_name_plural = "word lists"

    def __str__(self) -> str:
        return f"{self.phrase} ({self.kind})"


class Sanction(models.Model):
    class Kind(models.TextChoices):
        BAN = "ban", "Ban"
        SUSPEND = "suspend", "Suspend until a time"
        PREMOD = "premod", "Pre-moderate"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "lifted_at"], name="sanction_active")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="suspend") | Q(until__isnull=False), name="suspension_has_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"


class TextFingerprint(models.Model):
    """The normalized text of each checked comment, for repeat and spam-wave checks."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="fingerprint")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["digest", "created_at"], name="fingerprint_recent")]

    def __str__(self) -> str:
        return self.digest[:12]


class ReviewItem(models.Model):
    """A comment waiting for a human decision in one of the review queues."""

    class Queue(models.TextChoices):
        PREMOD = "premod", "Held before publication"
        REPORTED = "reported", "Reported by readers"
        ESCALATED = "escalated", "Escalated"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="review_items")
    queue = models.CharField(max_length=10, choices=Queue.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["queue", "created_at", "id"],
                condition=Q(decided_at__isnull=True),
                name="review_open_by_age",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(decided_at__isnull=True),
                name="review_one_open_item_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queue}: comment {self.comment_id}"
