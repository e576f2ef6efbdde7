"""The desk's list filters, forms and read-only history inlines in admin."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.utils import timezone

from . import services
from .models import CorrectionNotice, CorrectionNoticeRevision, CorrectionReport, CorrectionStatusChange


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [
            ("1", "Under a day"),
            ("7", "Under a week"),
            ("old", "A week or older"),
            ("30", "A month or older"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "1":
                return queryset.filter(created_at__gte=now - timedelta(days=1))
            case "7":
                return queryset.filter(created_at__gte=now - timedelta(days=7))
            case "old":
                return queryset.filter(created_at__lt=now - timedelta(days=7))
            case "30":
                return queryset.filter(created_at__lt=now - timedelta(days=30))
        return queryset


class QuoteFoundFilter(admin.SimpleListFilter):
    title = "quote in the article"
    parameter_name = "quote_found"

    def lookups(self, request, model_admin):
        return [("yes", "Found"), ("no", "Not found")]

    def queryset(self, request, queryset):
        quoted = queryset.exclude(quote="")
        match self.value():
            case "yes":
                return quoted.filter(passage_start__isnull=False)
            case "no":
                return quoted.filter(passage_start__isnull=True)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """Opens on the new reports, the desk's work; "All" is one click away."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, "All"), *CorrectionReport.Status.choices]

    def value(self):
        return super().value() or CorrectionReport.Status.NEW

    def queryset(self, request, queryset):
        return queryset if self.value() == self.ALL else queryset.filter(status=self.value())

    def choices(self, changelist):
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Reply to the reader", widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), max_length=5000
    )


class DuplicateForm(forms.Form):
    original = forms.IntegerField(label="Duplicate of report number", min_value=1)


def _clean_notice(text: str) -> str:
    try:
        return services.check_notice_text(text)
    except services.CorrectionError as error:
        raise forms.ValidationError(str(error), code="unfinished") from None


class NoticeForm(forms.Form):
    text = forms.CharField(
        label="Correction notice",
        max_length=services.MAX_NOTICE,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        initial=services.NOTICE_TEMPLATE + " ",
        help_text="Shown at the end of the article with today's date, in its JSON-LD and on the public "
        "corrections page. You will see it as readers will before it is published.",
    )

    def clean_text(self) -> str:
        return _clean_notice(self.cleaned_data["text"])


class FixForm(NoticeForm):
    paragraph = forms.CharField(
        label="The paragraph, corrected",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Saved as a new revision of this paragraph; the earlier wording is kept.",
    )
    field_order = ["paragraph", "text"]


class NoticeAdminForm(forms.ModelForm):
    class Meta:
        model = CorrectionNotice
        fields = ["text"]

    def clean_text(self) -> str:
        return _clean_notice(self.cleaned_data["text"])


class StatusChangeInline(admin.TabularInline):
    model = CorrectionStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    verbose_name_plural = "status history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NoticeRevisionInline(admin.TabularInline):
    model = CorrectionNoticeRevision
    extra = 0
    can_delete = False
    fields = ["replaced_at", "replaced_by", "text"]
    readonly_fields = fields
    verbose_name = "earlier wording"
    verbose_name_plural = "earlier wordings (history)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
