from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from config import pagecache


class Article(models.Model):
    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    section = models.CharField(max_length=100, blank=True)
    standfirst = models.TextField(blank=True)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    comments_open = models.BooleanField(default=True)
    comments_close_at = models.DateTimeField(
        null=True, blank=True, help_text="Close the discussion at this time (leave empty to keep it open)."
    )
    premoderate_comments = models.BooleanField(
        "pre-moderate all comments", default=False, help_text="Every comment waits for a moderator."
    )
    # Approved comments, recomputed from the comments by the comments app whenever one changes.
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        renamed = self.pk and (fields is None or "slug" in fields)
        old_slug = (
            Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first() if renamed else None
        )
        super().save(*args, **kwargs)
        self.changed(also=[old_slug] if old_slug else [])

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        self.changed()
        return super().delete(*args, **kwargs)

    def changed(self, *, also: list[str] = ()) -> None:
        """Readers' cached pages of this article, and of articles teasing it, are stale."""
        teasing = (
            Article.objects.filter(blocks__teasers=self).values_list("slug", flat=True) if self.pk else []
        )
        slugs = {self.slug, *also, *teasing}
        pagecache.bump_on_commit(*[pagecache.article_version_key(slug) for slug in slugs])

    @property
    def is_published(self) -> bool:
        return self.published_at <= timezone.now()

    def comments_close_time(self, *, close_after_days: int | None) -> datetime | None:
        """When the discussion closes: the article's own time, or the site-wide age limit."""
        times = [t for t in [self.comments_close_at] if t]
        if close_after_days:
            times.append(self.published_at + timedelta(days=close_after_days))
        return min(times) if times else None

    def accepts_comments(self, *, close_after_days: int | None, now: datetime | None = None) -> bool:
        if not self.comments_open:
            return False
        closes = self.comments_close_time(close_after_days=close_after_days)
        return closes is None or (now or timezone.now()) < closes

    def paragraphs(self) -> list[str]:
        """The article's text as readers see it, paragraph by paragraph (related blocks left out)."""
        return [b.text for b in self.blocks.all() if b.kind == ArticleBlock.Kind.PARAGRAPH]


class ArticleBlock(models.Model):
    """One piece of an article's body, in order: a paragraph, or a related-stories block."""

    class Kind(models.TextChoices):
        PARAGRAPH = "paragraph", "Paragraph"
        RELATED = "related", "Related stories"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PARAGRAPH)
    text = models.TextField(blank=True, help_text="The paragraph (paragraph blocks).")
    label = models.CharField(max_length=100, blank=True, help_text="Section label (related blocks).")
    heading = models.CharField(
        max_length=100, blank=True, help_text="Block heading, e.g. “Other Topics of Interest”."
    )
    teasers = models.ManyToManyField(Article, blank=True, related_name="teased_in")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="articleblock_unique_position"),
            models.CheckConstraint(
                condition=~models.Q(kind="paragraph", text=""), name="articleblock_paragraph_has_text"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.RELATED:
            return f"{self.position}: related — {self.heading or self.label}"
        return f"{self.position}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        pagecache.bump_on_commit(pagecache.article_version_key(self.article.slug))

    def delete(self, *args, **kwargs):
        pagecache.bump_on_commit(pagecache.article_version_key(self.article.slug))
        return super().delete(*args, **kwargs)


class ArticleBlockRevision(models.Model):
    """One wording of a paragraph block, kept when the desk changes it (numbered per block)."""

    block = models.ForeignKey(ArticleBlock, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["block__position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["block", "number"], name="articleblockrevision_unique_number")
        ]

    def __str__(self) -> str:
        return f"Paragraph {self.block.position}, revision {self.number} ({self.created_at:%Y-%m-%d %H:%M})"


class SiteSettings(models.Model):
    """Site-wide settings staff edit in admin; there is one row (pk=1)."""

    comments_close_after_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Close comments this many days after an article is published (empty: never).",
    )
    premoderate_new_commenters = models.BooleanField(
        default=False, help_text="Hold the first comment of every new account for a moderator."
    )
    require_verified_email = models.BooleanField(
        default=False,
        help_text="Hold comments from accounts whose email address is not verified for a moderator.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return "Site settings"

    CACHE_KEY = "articles:site-settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        if not kwargs.get("force_insert"):  # load() creating the row with defaults changes nothing
            pagecache.bump_on_commit(pagecache.SITE_VERSION_KEY)

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row, from the cache when it is there (every page needs it)."""
        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            obj, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, obj, 300)
        return obj


class CorrectionReport(models.Model):
    """A reader's report of a mistake in an article, optionally about one quoted passage."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        DUPLICATE = "duplicate", "Duplicate"

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


class CorrectionStatusChange(models.Model):
    """One change of a report's status: who (a desk member or the system) and when. Append-only."""

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
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} by {self.actor}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Status changes are a record: they are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Status changes are a record: they are never deleted.")


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
        ordering = ["-published_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="correctionnotice_has_text")]

    def __str__(self) -> str:
        return f"Correction to “{self.article}” ({self.published_at:%Y-%m-%d})"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # After the commit, so a reader cannot cache the list as it was before this notice.
        transaction.on_commit(lambda: cache.delete(self.cache_key(self.article_id)))
        cache.delete(self.cache_key(self.article_id))
        pagecache.bump_on_commit(pagecache.article_version_key(self.article.slug))

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
        ordering = ["replaced_at", "pk"]

    def __str__(self) -> str:
        return f"Earlier wording of notice #{self.notice_id} (until {self.replaced_at:%Y-%m-%d %H:%M})"
