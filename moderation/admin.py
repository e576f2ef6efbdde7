import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from comments.admin import ReadOnlyAdmin

from .models import ModerationSettings, ReviewItem, Sanction, WordListEntry
from .policy import evaluate_texts


class TryTextForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}), max_length=10_000, strip=False
    )


@admin.register(WordListEntry)
class WordListEntryAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "is_active", "note", "created_at"]
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "note"]
    actions = ["activate", "deactivate"]

    @admin.action(description="Activate selected entries", permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(request, f"{count} entries activated.", messages.SUCCESS)

    @admin.action(description="Deactivate selected entries", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"{count} entries deactivated.", messages.SUCCESS)

    def get_urls(self):
        return [
            path("try/", self.admin_site.admin_view(self.try_text_view), name="moderation_try_text"),
            *super().get_urls(),
        ]

    def try_text_view(self, request):
        """What the pipeline would decide for a pasted text, as `moderate_texts` prints it; writes nothing."""
        # Anyone who may read the word lists may try a text: the result names listed words.
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = TryTextForm(request.POST or None)
        decision = output = None
        if request.method == "POST" and form.is_valid():
            decision = next(evaluate_texts([form.cleaned_data["text"]]))
            output = json.dumps(decision.as_dict(), ensure_ascii=False)
        context = {
            **self.admin_site.each_context(request),
            "title": "Try a text",
            "opts": self.model._meta,
            "form": form,
            "decision": decision,
            "output": output,
        }
        return TemplateResponse(request, "admin/moderation/try_text.html", context)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Harm model", {"fields": ["toxicity_review_threshold", "toxicity_reject_threshold"]}),
        ("Reader flags", {"fields": ["flags_to_report", "flags_to_withhold"]}),
        ("Links", {"fields": ["max_links", "links_min_approved"]}),
        (
            "Repeats and spam waves",
            {"fields": ["duplicate_window_hours", "wave_accounts", "wave_window_minutes"]},
        ),
        ("Recovery", {"fields": ["sweep_after_seconds"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not ModerationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: go straight to it, or to the add form (filled with the environment's
        # defaults) while none has been saved.
        if ModerationSettings.objects.exists():
            return redirect(reverse("admin:moderation_moderationsettings_change", args=[1]))
        return redirect(reverse("admin:moderation_moderationsettings_add"))


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "until", "reason", "created_by", "created_at", "lifted_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "reason"]
    raw_id_fields = ["user", "created_by"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ["comment", "queue", "created_at", "claimed_by", "decided_at", "decision"]
    list_filter = ["queue", "decision"]
    raw_id_fields = ["comment", "claimed_by"]
