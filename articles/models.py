from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils import timezone

from delivery import changes, pagecache


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
    # A story: the newsroom's own page this article stands for (embed/), its text not kept here.
    canonical_url = models.URLField(
        "page on the newsroom's site",
        max_length=2000,
        blank=True,
        help_text="A story embedded on the newsroom's own site: the page's address (empty: hosted here).",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~models.Q(canonical_url=""),
                name="article_unique_canonical_url",
            )
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

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
        PARAGRAPH = "paragraph"
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

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row (every page needs it): held by the process while the site's version
        holds, so a comment POST asks Redis nothing for it (a save announces the site changed),
        else from the cache, else the database."""
        return pagecache.held(cls.CACHE_KEY, [changes.SITE_VERSION_KEY], cls._cached)

    @classmethod
    def _cached(cls) -> "SiteSettings":
        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            obj, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, obj, 300)
        return obj
