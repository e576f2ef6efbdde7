"""The EU Digital Services Act's records: community guidelines (versioned), notices of illegal
content (Art. 16), statements of reasons for every restriction (Art. 17), appeals (Art. 20).

Field and value names of Statement follow the Commission's Transparency Database, so the export
(export.py) is a renaming at most.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from comments.models import AuditRecord, Comment
from moderation.models import ReviewItem, Sanction

APPEAL_MONTHS = 6  # Art. 20(1): at least six months from the decision


def months_after(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months later (the month's last day if shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return moment.replace(year=year, month=month, day=min(moment.day, days[month - 1]))


class GuidelinesVersion(models.Model):
    """One published wording of the community guidelines; statements cite its clauses."""

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField()
    changes = models.TextField(blank=True, help_text="What changed since the previous version.")

    class Meta:
        ordering = ["-number"]
        verbose_name = "community guidelines version"

    def __str__(self) -> str:
        return f"Community guidelines, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("dsa:guidelines_version", kwargs={"number": self.number})


class Clause(models.Model):
    """A rule of one version of the guidelines. `code` names the same rule across versions."""

    version = models.ForeignKey(GuidelinesVersion, on_delete=models.PROTECT, related_name="clauses")
    code = models.SlugField(max_length=40)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="clause_code_once_per_version"),
            models.UniqueConstraint(fields=["version", "number"], name="clause_number_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title} (version {self.version.number})"

    def get_absolute_url(self) -> str:
        return f"{self.version.get_absolute_url()}#{self.code}"


class Notice(models.Model):
    """A notice that a comment is illegal content (DSA Art. 16), from anyone."""

    class Category(models.TextChoices):
        ILLEGAL_HATE_SPEECH = "illegal_hate_speech", "Illegal hate speech"
        TERRORIST_CONTENT = "terrorist_content", "Terrorist content"
        DEFAMATION = "defamation", "Defamation"
        PRIVACY_VIOLATION = "privacy_violation", "Privacy violation"
        INTELLECTUAL_PROPERTY = "intellectual_property", "Intellectual property infringement"
        CHILD_SAFETY = "child_safety", "Child safety"
        SCAM_OR_FRAUD = "scam_or_fraud", "Scam or fraud"
        OTHER = "other", "Other illegal content"

    class Outcome(models.TextChoices):
        REMOVED = "removed", "The comment was removed"
        KEPT = "kept", "The comment stays"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=30, choices=Category.choices)
    explanation = models.TextField()
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    notifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Art. 16(2)(d): the notifier's statement that they believe the notice accurate and complete.
    good_faith = models.BooleanField()
    # A signed-in member of the group "Trusted flaggers" (Art. 22): their notices are decided first.
    by_trusted_flagger = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    receipt_mailed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # The decision on the notice with its reasons: a removal's statement, or one of no action.
    statement = models.ForeignKey(
        "Statement", null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    decision_mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["comment"], condition=Q(decided_at__isnull=True), name="notice_open_by_comment"
            ),
            models.Index(fields=["created_at"], name="notice_created"),
            models.Index(fields=["decided_at"], name="notice_decided"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(good_faith=True), name="notice_in_good_faith"),
            models.CheckConstraint(condition=~Q(explanation=""), name="notice_has_explanation"),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, outcome="")
                | Q(decided_at__isnull=False) & ~Q(outcome=""),
                name="notice_decided_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Notice {self.pk} ({self.category}) on comment {self.comment_id}"

    @property
    def reply_to(self) -> str:
        """Where the notifier is told of the receipt and the decision ("" when they gave none)."""
        return self.email or (self.notifier.email if self.notifier_id else "")


class Statement(models.Model):
    """A statement of reasons (DSA Art. 17) for one restriction of a reader's comment or account,
    or the decision of no action on a notice. Written in the restriction's own transaction."""

    class Decision(models.TextChoices):
        CONTENT_REMOVED = "DECISION_VISIBILITY_CONTENT_REMOVED", "Your comment was removed"
        CONTENT_DISABLED = (
            "DECISION_VISIBILITY_CONTENT_DISABLED",
            "Your comment was hidden until a moderator decides",
        )
        ACCOUNT_SUSPENDED = "DECISION_ACCOUNT_SUSPENDED", "Your account was suspended"
        ACCOUNT_TERMINATED = "DECISION_ACCOUNT_TERMINATED", "Your account was banned"
        # Not a restriction (never exported): a notice decided without action, for its notifier.
        NO_ACTION = "NO_ACTION", "No action: the comment stays"

    class Ground(models.TextChoices):
        ILLEGAL_CONTENT = "DECISION_GROUND_ILLEGAL_CONTENT", "Illegal content"
        INCOMPATIBLE_CONTENT = (
            "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "Incompatible with our community guidelines",
        )

    class Source(models.TextChoices):
        NOTICE = "SOURCE_ARTICLE_16", "A notice of illegal content"
        TRUSTED_FLAGGER = "SOURCE_TRUSTED_FLAGGER", "A notice from a trusted flagger"
        READERS_FLAGS = "SOURCE_TYPE_OTHER_NOTIFICATION", "Readers' reports"
        OWN_INITIATIVE = "SOURCE_VOLUNTARY", "Our own initiative"

    class Automation(models.TextChoices):
        FULLY = "AUTOMATED_DECISION_FULLY", "Fully automated"
        PARTIALLY = "AUTOMATED_DECISION_PARTIALLY", "Partially automated"
        NOT_AUTOMATED = "AUTOMATED_DECISION_NOT_AUTOMATED", "Decided by a person"

    puid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sanction = models.ForeignKey(Sanction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The comment's audit record that made the restriction (none for a sanction).
    audit_record = models.ForeignKey(
        AuditRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=40, choices=Decision.choices)
    ground = models.CharField(max_length=40, choices=Ground.choices, blank=True)
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    legal_ground = models.CharField(max_length=500, blank=True)
    explanation = models.CharField(max_length=2000)
    facts = models.CharField(max_length=5000)
    category = models.CharField(max_length=80)
    source = models.CharField(max_length=40, choices=Source.choices)
    automated_detection = models.BooleanField()
    automated_decision = models.CharField(max_length=40, choices=Automation.choices)
    content_date = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    end_date = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Undone within the moderator's undo window: never in force, never mailed or exported.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # No longer in force: the comment published again or the sanction lifted (an appeal, a reversal).
    reversed_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-id"], name="statement_by_user"),
            models.Index(fields=["comment", "-id"], name="statement_by_comment"),
            models.Index(
                fields=["mailed_at"], condition=Q(mailed_at__isnull=True), name="statement_unmailed"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="NO_ACTION", ground="")
                | ~Q(decision="NO_ACTION")
                & Q(ground__in=["DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"]),
                name="statement_restriction_has_ground",
            ),
            models.CheckConstraint(
                condition=~Q(ground="DECISION_GROUND_ILLEGAL_CONTENT") | ~Q(legal_ground=""),
                name="statement_illegal_names_the_law",
            ),
            models.CheckConstraint(
                condition=~Q(ground="DECISION_GROUND_INCOMPATIBLE_CONTENT") | Q(clause__isnull=False),
                name="statement_incompatible_cites_a_clause",
            ),
            models.CheckConstraint(
                condition=~Q(decision="DECISION_ACCOUNT_SUSPENDED") | Q(end_date__isnull=False),
                name="statement_suspension_has_end",
            ),
            models.CheckConstraint(condition=~Q(explanation="") & ~Q(facts=""), name="statement_explained"),
        ]

    def __str__(self) -> str:
        return f"Statement {self.pk}: {self.decision} for user {self.user_id}"

    @property
    def is_restriction(self) -> bool:
        return self.decision != self.Decision.NO_ACTION

    @property
    def is_automated(self) -> bool:
        return self.automated_decision != self.Automation.NOT_AUTOMATED

    @property
    def appeal_until(self) -> datetime:
        return months_after(self.created_at, APPEAL_MONTHS)


class Appeal(models.Model):
    """A complaint against a decision (DSA Art. 20), decided by a person other than the first."""

    class Outcome(models.TextChoices):
        REVERSED = "reversed", "The decision was reversed"
        UPHELD = "upheld", "The decision stands"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="appeals")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The notifier of a notice appealing its decision (rather than the restricted reader).
    by_notifier = models.BooleanField(default=False)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    item = models.ForeignKey(ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "appellant"], name="appeal_once_per_decision"),
            models.CheckConstraint(condition=~Q(text=""), name="appeal_has_text"),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, outcome="")
                | Q(decided_at__isnull=False) & ~Q(outcome=""),
                name="appeal_decided_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.pk} against statement {self.statement_id}"
