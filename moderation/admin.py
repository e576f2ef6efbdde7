import json

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

from .models import ReviewItem, Sanction, WordListEntry
from .services import evaluate_texts


@admin.register(WordListEntry)
class WordListEntryAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "is_active", "note", "created_at"]
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "note"]
    actions = ["activate", "deactivate"]

    @admin.action(description="Activate selected entries")
    def activate(self, request, queryset):
        queryset.update(is_active=True)

    @admin.action(description="Deactivate selected entries")
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)

    def get_urls(self):
        return [
            path("try/", self.admin_site.admin_view(self.try_text), name="moderation_try_text"),
            *super().get_urls(),
        ]

    def try_text(self, request):
        """Show what the pipeline would decide for a pasted text (writes nothing)."""
        form = TryTextForm(request.POST or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = json.dumps(
                evaluate_texts([form.cleaned_data["text"]])[0].as_dict(), indent=2, ensure_ascii=False
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Try a text",
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/moderation/try_text.html", context)


class TryTextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 80}), max_length=5000)


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "until", "reason", "created_by", "created_at", "lifted_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "reason"]
    raw_id_fields = ["user", "created_by"]


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["comment", "queue", "created_at", "claimed_by", "decided_at", "decision"]
    list_filter = ["queue", "decision"]
    raw_id_fields = ["comment", "claimed_by"]
