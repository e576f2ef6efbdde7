from django.contrib import admin

from .models import Article, ArticleBlock, SiteSettings


class ArticleBlockInline(admin.StackedInline):
    model = ArticleBlock
    extra = 0
    fields = ["position", "kind", "text", "label", "heading", "teasers"]
    filter_horizontal = ["teasers"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "published_at", "updated_at", "comments_open", "comment_count"]
    list_filter = ["section", "comments_open", "premoderate_comments", "published_at"]
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


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
