from django.contrib import admin

from .models import AuditRecord, Comment, CommentFlag, CommentRevision


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(_ReadOnlyInline):
    model = CommentRevision
    fields = readonly_fields = ["version", "body", "created_at"]


class FlagInline(_ReadOnlyInline):
    model = CommentFlag
    fields = readonly_fields = ["user", "reason", "note", "created_at"]


class AuditInline(_ReadOnlyInline):
    model = AuditRecord
    fields = readonly_fields = ["created_at", "actor_name", "action", "from_status", "to_status", "reasons"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in admin, changed only through the services that write the audit record, superusers
    included."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Read-only: status changes go through comments.services (and the moderation queue)."""

    list_display = ["id", "article", "author", "status", "depth", "like_count", "created_at", "edited_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["body", "author__username", "article__headline"]
    list_select_related = ["article", "author"]
    raw_id_fields = ["article", "author", "parent", "reply_to"]
    inlines = [RevisionInline, FlagInline, AuditInline]


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "comment", "actor_name", "action", "from_status", "to_status"]
    list_filter = ["action", "to_status"]
    search_fields = ["actor_name", "action", "comment__id"]
    list_select_related = ["comment"]
