from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from . import services
from .models import Article, ArticleBlock, ArticleBlockRevision, SiteSettings


class ArticleBlockInline(admin.StackedInline):
    model = ArticleBlock
    extra = 0
    fields = ["position", "kind", "text", "label", "heading", "teasers"]
    filter_horizontal = ["teasers"]


class SectionFilter(admin.SimpleListFilter):
    """The sections articles have; an article without one is listed as "No section" (Django's own
    filter links a blank section with no text, which screen readers cannot name)."""

    title = "section"
    parameter_name = "section"

    def lookups(self, request, model_admin):
        sections = Article.objects.order_by("section").values_list("section", flat=True).distinct()
        return [(s or "-", s or "No section") for s in sections]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(section="" if value == "-" else value)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "published_at", "updated_at", "comments_open", "comment_count"]
    list_filter = [SectionFilter, "comments_open", "premoderate_comments", "published_at"]
    search_fields = ["headline", "standfirst", "slug", "blocks__text"]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "published_at"
    readonly_fields = ["comment_count"]
    inlines = [ArticleBlockInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "standfirst"]}),
        ("Dates", {"fields": ["published_at", "updated_at"]}),
        (
            "Discussion",
            {"fields": ["comments_open", "comments_close_at", "premoderate_comments", "comment_count"]},
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def save_formset(self, request, form, formset, change) -> None:
        changed = [
            (f.instance, f.initial.get("text", ""))
            for f in formset.forms
            if formset.model is ArticleBlock and f.instance.pk and "text" in f.changed_data
        ]
        super().save_formset(request, form, formset, change)
        for block, previous in changed:
            if block.kind == ArticleBlock.Kind.PARAGRAPH and block.text != previous:
                services.keep_block_revision(
                    block=block, previous=previous, user=request.user, note="edited in admin"
                )

    def get_urls(self):
        revisions = self.admin_site.admin_view(self.revisions_view)
        return [
            path("<int:pk>/revisions/", revisions, name="articles_article_revisions"),
            *super().get_urls(),
        ]

    def revisions_view(self, request, pk: int):
        """Every kept wording of the article's paragraphs, and the difference between any two."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        revisions = list(
            ArticleBlockRevision.objects.filter(block__article=article).select_related("block", "created_by")
        )
        by_id = {str(r.pk): r for r in revisions}
        old, new = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
        if new is None and revisions:
            new = max(revisions, key=lambda r: (r.created_at, r.pk))
        if old is None and new is not None:
            earlier = [r for r in revisions if r.block_id == new.block_id and r.number < new.number]
            old = earlier[-1] if earlier else new
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revisions of “{article}”",
            "article": article,
            "opts": self.model._meta,
            "revisions": revisions,
            "old": old,
            "new": new,
            "diff": services.word_diff(old.text, new.text) if old and new else [],
        }
        return TemplateResponse(request, "articles/revisions.html", context)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
