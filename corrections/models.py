from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article, ArticleBlockRevision
from articles.records import AppendOnly

# The tables keep the names they had when these models lived in `articles` (db_table below): the
# move to this app changed no table (migrations 0001 here and articles 0010).


class CorrectionReport(models.Model):
    """A reader's report of a mistake in an article, optionally about one quoted passage."""

    class Status(models.TextChoices):
        NEW = "new"
        IN_PROGRESS = "in_progress", "In progress"
        PUBLISHED = "published"
        REJECTED = "rejected"
        DUPLICATE = "duplicate"

    OPEN = (Status.NEW, Status.IN_PROGRESS)

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="correction_reports")
    quote = models.CharField("passage", max_length=1000, blank=True)
    prefix = models.CharField(max_length=200, blank=True, help_text="Text just before the passage.")
    suffix = models.CharField(max_length=200, blank=True, help_text="Text just after the passage.")
    # Where the quote was found in the article's text when the report came in; empty when it was
    # not found (or there is no quote): the desk sees such a quote marked as not in the article.
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField("what is wrong", max_length=5000)
    suggestion = models.CharField("suggested wording", max_length=5000, blank=True)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # Reports of the same passage (same article, overlapping quote) share a group; the group is
    # named by its first report, which points at itself.
    group = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    reply = models.TextField(blank=True, help_text="The desk's answer to the reader.")
    spam_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    checked_at = models.DateTimeField(null=True, blank=True, help_text="When the text checks ran.")
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the thank-you email went out."
    )
    resolution_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the email about the outcome went out."
    )

    class Meta:
        db_table = "articles_correctionreport"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["new", "in_progress", "published", "rejected", "duplicate"]),
                name="correctionreport_status_valid",
            ),
            models.CheckConstraint(condition=~models.Q(message=""), name="correctionreport_has_message"),
            models.CheckConstraint(
                condition=models.Q(status="duplicate", duplicate_of__isnull=False)
                | (~models.Q(status="duplicate") & models.Q(duplicate_of__isnull=True)),
                name="correctionreport_duplicate_has_original",
            ),
            models.CheckConstraint(
                condition=~models.Q(duplicate_of=models.F("pk")), name="correctionreport_not_own_duplicate"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="in_progress") | models.Q(assignee__isnull=False),
                name="correctionreport_in_progress_has_assignee",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reply="") | ~models.Q(spam_reason=""),
                name="correctionreport_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Report #{self.pk} on “{self.article}”"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def quote_found(self) -> bool | None:
        """Whether the quote was found in the article when reported; None without a quote."""
        return self.passage_start is not None if self.quote else None


class CorrectionStatusChange(AppendOnly, models.Model):
    """One change of a report's status: who (a desk member or the system) and when. Append-only."""

    records = "Status changes"

    report = models.ForeignKey(CorrectionReport, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CorrectionReport.Status.choices)
    to_status = models.CharField(max_length=20, choices=CorrectionReport.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who, kept as text too: a username, or the system and the check that decided.
    actor = models.CharField(max_length=150)
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        db_table = "articles_correctionstatuschange"
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} by {self.actor}"


class CorrectionNotice(models.Model):
    """A published correction: shown at the end of the article, in its JSON-LD and on /corrections/."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="correction_notices")
    text = models.CharField(max_length=2000)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    group = models.ForeignKey(
        CorrectionReport,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="The reports it answers.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by every edit after publication: readers see "Updated ..." beside the notice.
    updated_at = models.DateTimeField(null=True, blank=True)
    # The corrected wording ("What changed" for readers), when the desk fixed the passage with it.
    revision = models.ForeignKey(
        ArticleBlockRevision, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    passage_before = models.TextField(blank=True)
    passage_after = models.TextField(blank=True)

    class Meta:
        db_table = "articles_correctionnotice"
        ordering = ["-published_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="correctionnotice_has_text")]

    def __str__(self) -> str:
        return f"Correction to “{self.article}” ({self.published_at:%Y-%m-%d})"

    @staticmethod
    def cache_key(article_id: int) -> str:
        return f"articles:correction-notices:{article_id}"


class CorrectionNoticeRevision(models.Model):
    """A notice's wording before an edit after publication: who changed it and when. Append-only."""

    notice = models.ForeignKey(CorrectionNotice, on_delete=models.PROTECT, related_name="revisions")
    text = models.CharField(max_length=2000)
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "articles_correctionnoticerevision"
        ordering = ["replaced_at", "pk"]

    def __str__(self) -> str:
        return f"Earlier wording of notice #{self.notice_id} (until {self.replaced_at:%Y-%m-%d %H:%M})"
