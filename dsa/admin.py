from django.contrib import admin
from django.utils import timezone

from comments.admin import ReadOnlyAdmin

from .models import Appeal, Clause, GuidelinesVersion, Notice, Statement


def _not_yet_published(obj) -> bool:
    # Statements cite the versions in force: a published version is never edited, a new one is written.
    return obj is None or obj.published_at > timezone.now()


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return _not_yet_published(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return _not_yet_published(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _not_yet_published(obj) and super().has_delete_permission(request, obj)


@admin.register(GuidelinesVersion)
class GuidelinesVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "published_at", "changes"]
    inlines = [ClauseInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return _not_yet_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _not_yet_published(obj) and super().has_delete_permission(request, obj)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["id", "category", "comment", "by_trusted_flagger", "created_at", "decided_at", "outcome"]
    list_filter = ["category", "outcome", "by_trusted_flagger"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "decision",
        "ground",
        "source",
        "automated_decision",
        "user",
        "created_at",
        "reversed_at",
    ]
    list_filter = ["decision", "ground", "source", "automated_decision"]
    raw_id_fields = ["user", "comment", "sanction", "audit_record", "decided_by"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["id", "statement", "appellant", "by_notifier", "created_at", "decided_at", "outcome"]
    list_filter = ["outcome", "by_notifier"]
