from django.contrib import admin

from .models import EmbedOrigin, NewsroomAccount


@admin.register(EmbedOrigin)
class EmbedOriginAdmin(admin.ModelAdmin):
    list_display = ["origin", "note", "added_at"]
    search_fields = ["origin", "note"]


@admin.register(NewsroomAccount)
class NewsroomAccountAdmin(admin.ModelAdmin):
    """Who the newsroom signed in as whom here: created by sign-ins, read-only."""

    list_display = ["newsroom_id", "user", "created_at"]
    search_fields = ["newsroom_id", "user__username", "user__email"]
    readonly_fields = ["newsroom_id", "user", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
