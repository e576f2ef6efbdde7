from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from comments.models import Comment

from .word_lists import WordListEntry as WordListEntry  # defined apart, registered here


@deconstructible
class _FromSettings:
    """A field default read from config/settings.py (the environment) when the row is first made."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self) -> int | float:
        return getattr(settings, self.name)

    def __eq__(self, other) -> bool:
        return isinstance(other, _FromSettings) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


# Migration 0003 names these defaults (they were functions: migrations cannot serialize lambdas).
_default_toxicity_review = _FromSettings("MODERATION_TOXICITY_REVIEW")
_default_toxicity_reject = _FromSettings("MODERATION_TOXICITY_REJECT")
_default_flags_to_report = _FromSettings("MODERATION_FLAGS_TO_REPORT")
_default_flags_to_withhold = _FromSettings("MODERATION_FLAGS_TO_WITHHOLD")
_default_max_links = _FromSettings("MODERATION_MAX_LINKS")
_default_links_min_approved = _FromSettings("MODERATION_LINKS_MIN_APPROVED")
_default_duplicate_hours = _FromSettings("MODERATION_DUPLICATE_HOURS")
_default_wave_accounts = _FromSettings("MODERATION_WAVE_ACCOUNTS")
_default_wave_minutes = _FromSettings("MODERATION_WAVE_MINUTES")
_default_sweep_after_seconds = _FromSettings("MODERATION_SWEEP_AFTER_SECONDS")


def _probability(default, help_text: str) -> models.FloatField:
    """A threshold on a classifier's score, between 0 and 1."""
    return models.FloatField(
        default=default, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)], help_text=help_text
    )


def _flag_weight(default, help_text: str) -> models.FloatField:
    """A threshold on the summed weights of readers' flags (moderation/flags.py)."""
    return models.FloatField(default=default, validators=[MinValueValidator(0.5)], help_text=help_text)


class ModerationSettings(models.Model):
    """The thresholds of automated moderation; one row (pk=1), edited in admin.

    Until an admin saves it the row does not exist and `load()` gives the values from
    config/settings.py (the environment). It is read on every check run, so a change applies to
    the next comment without a restart.
    """

    # The harm model (moderation/classifier.py) holds a text for review at its own threshold for
    # English, Ukrainian and Russian, calibrated on the tuning split; these two are the admin's.
    toxicity_review_threshold = _probability(
        _default_toxicity_review,
        "Harm score at or above which a comment in a language the model has no threshold for "
        "(other than English, Ukrainian and Russian) goes to review.",
    )
    toxicity_reject_threshold = _probability(
        _default_toxicity_reject,
        "Harm score at or above which a comment is rejected outright, in any language; below it, "
        "a held comment waits for a moderator.",
    )
    flags_to_report = _flag_weight(
        _default_flags_to_report, "Weighted reader flags that put a published comment in the reported queue."
    )
    flags_to_withhold = _flag_weight(
        _default_flags_to_withhold, "Weighted reader flags that hide a comment until a moderator decides."
    )
    max_links = models.PositiveSmallIntegerField(
        default=_default_max_links, help_text="More links than this send a comment to review."
    )
    links_min_approved = models.PositiveSmallIntegerField(
        default=_default_links_min_approved,
        help_text="A commenter with fewer approved comments than this has any link reviewed.",
    )
    duplicate_window_hours = models.PositiveIntegerField(
        default=_default_duplicate_hours,
        validators=[MinValueValidator(1)],
        help_text="The same text from the same author within this many hours is rejected.",
    )
    wave_accounts = models.PositiveSmallIntegerField(
        default=_default_wave_accounts,
        validators=[MinValueValidator(2)],
        help_text="This many accounts posting the same text within the wave window is a spam wave.",
    )
    wave_window_minutes = models.PositiveIntegerField(
        default=_default_wave_minutes, validators=[MinValueValidator(1)]
    )
    sweep_after_seconds = models.PositiveIntegerField(
        default=_default_sweep_after_seconds,
        validators=[MinValueValidator(10)],
        help_text="A comment still pending after this many seconds is queued again.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "moderation settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="moderationsettings_single_row"),
            models.CheckConstraint(
                condition=Q(toxicity_review_threshold__gte=0)
                & Q(toxicity_review_threshold__lte=models.F("toxicity_reject_threshold"))
                & Q(toxicity_reject_threshold__lte=1),
                name="moderationsettings_toxicity_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(flags_to_report__lte=models.F("flags_to_withhold")),
                name="moderationsettings_flag_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return "Moderation settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.toxicity_review_threshold > self.toxicity_reject_threshold:
            raise ValidationError(
                {"toxicity_review_threshold": "The review threshold must not be above the reject threshold."},
                code="thresholds_order",
            )
        if self.flags_to_report > self.flags_to_withhold:
            raise ValidationError(
                {"flags_to_report": "Reporting must not need more flags than withholding."},
                code="flags_order",
            )

    @classmethod
    def load(cls) -> "ModerationSettings":
        """The saved row, or the defaults from config/settings.py when none was saved (never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class SanctionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Not lifted and not yet over."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gt=now))


class Sanction(models.Model):
    class Kind(models.TextChoices):
        BAN = "ban"
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
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "lifted_at"], name="sanction_active")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="suspend") | Q(until__isnull=False), name="suspension_has_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"

    @property
    def name(self) -> str:
        """What it is called in a sentence: "Ban", "Suspension", "Pre-moderation"."""
        return {"ban": "Ban", "suspend": "Suspension", "premod": "Pre-moderation"}.get(self.kind, self.kind)

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and (self.until is None or self.until > now)


class ModeratorNote(models.Model):
    """A moderator's note on a commenter: shown to moderators on every item of theirs, never to others."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    text = models.CharField(max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="moderatornote_has_text")]

    def __str__(self) -> str:
        return f"Note on user {self.user_id}"


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
    """A comment (or a sanction under appeal) waiting for a human decision in one of the queues.

    An item is open until `decided_at` is set; at most one open item per comment. A moderator
    holds an open item while `lease_expires_at` is in the future; an expired lease is free to
    claim again. Escalating closes the item and opens a new one in the `escalated` queue.
    """

    class Queue(models.TextChoices):
        # Notices of illegal content come first: the tabs and the queue page open on them.
        NOTICES = "notices", "Notices of illegal content"
        PREMOD = "premod", "Held before publication"
        REPORTED = "reported", "Reported by readers"
        ESCALATED = "escalated"
        APPEALS = "appeals", "Appeals against decisions"

    class Decision(models.TextChoices):
        APPROVE = "approve"
        REJECT = "reject"
        ESCALATE = "escalate"

    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="review_items"
    )
    # An appeal against a ban or suspension is about the sanction, not a comment: approving it
    # lifts the sanction, rejecting it upholds it.
    sanction = models.ForeignKey(
        "Sanction", null=True, blank=True, on_delete=models.CASCADE, related_name="review_items"
    )
    queue = models.CharField(max_length=10, choices=Queue.choices)
    # Why it is here: the check that held it ("links", "toxicity", ...), "flags", or "escalated".
    reason = models.CharField(max_length=50, blank=True, db_index=True)
    # The item judges an edit of a published comment: the approved text stays public whatever is
    # decided, and a rejection refuses only the edit.
    for_edit = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, blank=True, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A reject reason code from moderation.services.REJECT_REASONS, and the moderator's own words.
    decision_reason = models.CharField(max_length=30, blank=True)
    decision_note = models.CharField(max_length=1000, blank=True)
    # The comment's status when the decision was taken, so the decision can be undone.
    status_before = models.CharField(max_length=20, blank=True)
    # Why a person sent it here, in their words: the notices' explanations, the appeal's text.
    note = models.TextField(blank=True)
    # Who made the decision under appeal: a claim never hands them the item, and their decision
    # on it is refused (DSA Art. 20: an appeal is decided by someone else).
    excluded_moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["queue", "created_at", "id"],
                condition=Q(decided_at__isnull=True),
                name="review_open_by_age",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(decided_at__isnull=True, claimed_by__isnull=False),
                name="review_open_leases",
            ),
            # What one moderator holds now: open items only, so it stays small as history grows.
            models.Index(
                fields=["claimed_by", "lease_expires_at"],
                condition=Q(decided_at__isnull=True),
                name="review_open_held_by",
            ),
            models.Index(fields=["decided_by", "decided_at"], name="review_decided_by"),
            # The dashboard's queue depth over time reads items by when they opened and closed.
            models.Index(fields=["created_at"], name="review_created"),
            models.Index(fields=["decided_at"], name="review_decided"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(decided_at__isnull=True),
                name="review_one_open_item_per_comment",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | Q(lease_expires_at__isnull=False),
                name="review_claim_has_lease",
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, sanction__isnull=True)
                | Q(comment__isnull=True, sanction__isnull=False),
                name="review_item_about_a_comment_or_a_sanction",
            ),
            models.UniqueConstraint(
                fields=["sanction"],
                condition=Q(decided_at__isnull=True, sanction__isnull=False),
                name="review_one_open_item_per_sanction",
            ),
        ]

    def __str__(self) -> str:
        if self.comment_id is None:
            return f"{self.queue}: sanction {self.sanction_id}"
        return f"{self.queue}: comment {self.comment_id}"

    @property
    def is_open(self) -> bool:
        return self.decided_at is None

    def held_by(self, user, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.claimed_by_id == user.pk
            and self.lease_expires_at is not None
            and self.lease_expires_at > now
        )


class OwedDecisionMail(models.Model):
    """A decision email whose message the broker did not take (Redis down as the decision
    committed): kept here and sent by the sweep (moderation.tasks.sweep_decision_mail), once."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    audit_id = models.PositiveBigIntegerField(unique=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"decision mail for comment {self.comment_id} (audit {self.audit_id})"
