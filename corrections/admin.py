"""The corrections desk in Django admin: the reports list and its actions, fixing a passage, notices."""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince

from articles.models import Article
from articles.services import article_text, word_diff

from . import fixes, passages, selectors, services
from .admin_forms import (
    AgeFilter,
    DuplicateForm,
    FixForm,
    NoticeAdminForm,
    NoticeForm,
    NoticeRevisionInline,
    QuoteFoundFilter,
    ReplyForm,
    StatusChangeInline,
    StatusFilter,
)
from .models import CorrectionNotice, CorrectionReport

DESK_GROUP = "Corrections desk"


def _on_desk(user) -> bool:
    return user.is_superuser or user.groups.filter(name=DESK_GROUP).exists()


def _preview(request, article: Article, text: str, **passage) -> dict:
    """The notice as readers will see it, on the article, in the log and in the article's JSON-LD."""
    notice = CorrectionNotice(article=article, text=text, published_at=timezone.now(), **passage)
    json_ld = selectors.json_ld_with(
        article,
        [*selectors.correction_notices_for(article), notice],
        url=request.build_absolute_uri(article.get_absolute_url()),
    )
    data = json.loads(json_ld)
    # As the article will read once published: the corrected passage and the date it bumps to.
    data["dateModified"] = notice.published_at.isoformat()
    before, after = passage.get("passage_before"), passage.get("passage_after")
    if before and after and "articleBody" in data:
        data["articleBody"] = data["articleBody"].replace(before, after, 1)
    return {"notice": notice, "json_ld": selectors.pretty_json(data)}


class _KeptRecord:
    """Neither added nor deleted in admin: reports come from readers, notices are published from a
    report (action “Publish a correction notice”), and both stay as the record."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CorrectionReport)
class CorrectionReportAdmin(_KeptRecord, admin.ModelAdmin):
    list_display = [
        "id",
        "article",
        "passage",
        "quote_found",
        "short_message",
        "status",
        "assignee",
        "age",
        "reporters",
    ]
    list_display_links = ["id", "passage"]
    list_filter = [
        StatusFilter,
        ("article", admin.RelatedOnlyFieldListFilter),
        ("assignee", admin.RelatedOnlyFieldListFilter),
        QuoteFoundFilter,
        AgeFilter,
    ]
    search_fields = ["quote", "message"]
    list_select_related = ["article", "assignee"]
    ordering = ["-created_at", "-pk"]
    actions = ["assign_to_me", "start", "reject_with_reply", "mark_duplicate", "publish_notice"]
    inlines = [StatusChangeInline]
    reader_fields = ["quote", "prefix", "suffix", "message", "suggestion", "name", "email", "created_at"]
    desk_fields = [
        "status",
        "assignee",
        "duplicate_of",
        "group",
        "reply",
        "spam_reason",
        "checked_at",
        "acknowledged_at",
        "resolution_sent_at",
    ]

    def get_queryset(self, request):
        same_passage = (
            CorrectionReport.objects.filter(group_id=OuterRef("group_id"))
            .order_by()
            .values("group_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(reporter_count=Subquery(same_passage))

    def changelist_view(self, request, extra_context=None):
        # The list needs the width: without the admin's app sidebar all columns fit at 1280 px.
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def get_fieldsets(self, request, obj=None):
        reader = [f for f in self.reader_fields if f != "email" or _on_desk(request.user)]
        return [
            (None, {"fields": ["article", "quote_found", "passage_in_article"]}),
            ("The reader's report", {"fields": reader}),
            ("Desk", {"fields": [*self.desk_fields, "reporters"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Everything changes through the actions, so each status change is recorded with who and when.
        return [
            "article",
            "quote_found",
            "passage_in_article",
            *self.reader_fields,
            *self.desk_fields,
            "reporters",
        ]

    @admin.display(description="passage")
    def passage(self, obj: CorrectionReport) -> str:
        return Truncator(obj.quote).chars(80) if obj.quote else "—"

    @admin.display(description="quote in article", boolean=True)
    def quote_found(self, obj: CorrectionReport) -> bool | None:
        # Searched when the report came in: a quote that was not there is the reader's own text.
        return obj.quote_found

    @admin.display(description="message")
    def short_message(self, obj: CorrectionReport) -> str:
        return Truncator(obj.message).chars(100)

    @admin.display(description="age", ordering="created_at")
    def age(self, obj: CorrectionReport) -> str:
        return timesince(obj.created_at)

    @admin.display(description="readers", ordering="reporter_count")
    def reporters(self, obj: CorrectionReport) -> int:
        return getattr(obj, "reporter_count", None) or 1

    @admin.display(description="passage in the article now")
    def passage_in_article(self, obj: CorrectionReport) -> str:
        if not obj.quote:
            return "No passage was quoted: the report is about the article as a whole."
        text = article_text(obj.article)
        found = passages.find_passage(text, obj.quote, prefix=obj.prefix, suffix=obj.suffix)
        if found is None:
            return format_html(
                "<strong>Could not find this passage in the article's current text.</strong> "
                "It may have been rewritten or removed. The reader quoted: “{}”",
                obj.quote,
            )
        how = {
            passages.EXACT: "Found exactly as quoted.",
            passages.NORMALIZED: "Found, ignoring differences in spaces and quote marks.",
            passages.FUZZY: f"Found approximately ({found.score:.0f}% similar): the text changed since the report.",
        }[found.method]
        start = text.rfind("\n\n", 0, found.start)
        start = 0 if start == -1 else start + 2
        end = text.find("\n\n", found.end)
        end = len(text) if end == -1 else end
        fix = ""
        if obj.is_open:
            fix = format_html(
                '<p><a class="button" href="{}">Correct this passage and publish a notice</a></p>',
                reverse("admin:corrections_correctionreport_fix", args=[obj.pk]),
            )
        return format_html(
            '<p class="match-method">{}</p><div class="passage-in-article">{}{}<mark>{}</mark>{}{}</div>{}'
            '<p><a href="{}">Revisions of this article</a></p>',
            how,
            "… " if start else "",
            text[start : found.start],
            text[found.start : found.end],
            text[found.end : end],
            " …" if end < len(text) else "",
            fix,
            reverse("admin:articles_article_revisions", args=[obj.article_id]),
        )

    def get_urls(self):
        fix = self.admin_site.admin_view(self.fix_view)
        return [path("<int:pk>/fix/", fix, name="corrections_correctionreport_fix"), *super().get_urls()]

    def fix_view(self, request, pk: int):
        """Correct the reported paragraph and publish the notice with it: edit, preview, confirm."""
        report = get_object_or_404(CorrectionReport.objects.select_related("article"), pk=pk)
        if not (_on_desk(request.user) and self.has_change_permission(request, report)):
            raise PermissionDenied
        located = fixes.paragraph_of(report)
        if located is None or not report.is_open:
            self.message_user(
                request,
                "This report's passage cannot be corrected here (resolved, or no longer in the article).",
                messages.ERROR,
            )
            return redirect("admin:corrections_correctionreport_change", report.pk)
        block, start, end = located
        form = FixForm(
            request.POST if request.method == "POST" else None,
            initial={"paragraph": block.text, "text": NoticeForm.base_fields["text"].initial},
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Correct report #{report.pk}",
            "opts": self.model._meta,
            "report": report,
            "form": form,
            "before": block.text[:start],
            "passage": block.text[start:end],
            "after": block.text[end:],
        }
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if data["paragraph"].strip() == block.text:
                form.add_error("paragraph", "The paragraph is unchanged: correct its wording first.")
            elif request.POST.get("confirmed"):
                try:
                    notice = fixes.fix_passage(
                        report=report, text=data["paragraph"], notice_text=data["text"], user=request.user
                    )
                except services.CorrectionError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(
                        request,
                        f"Passage corrected and notice published on “{notice.article}”.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:corrections_correctionreport_change", report.pk)
            else:
                old, new = fixes.changed_passage(block.text, data["paragraph"].strip(), start, end)
                context |= {
                    "confirming": True,
                    "diff": word_diff(block.text, data["paragraph"].strip()),
                    **_preview(request, report.article, data["text"], passage_before=old, passage_after=new),
                }
        return TemplateResponse(request, "corrections/fix.html", context)

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        count = services.assign_reports(reports=queryset, user=request.user)
        self.message_user(request, f"{count} report(s) assigned to you.", messages.SUCCESS)

    @admin.action(description="Start working on them", permissions=["change"])
    def start(self, request, queryset):
        count = services.start_reports(reports=queryset, user=request.user)
        self.message_user(request, f"{count} report(s) now in progress.", messages.SUCCESS)

    @admin.action(description="Reject with a reply to the reader", permissions=["change"])
    def reject_with_reply(self, request, queryset):
        form = ReplyForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = services.reject_reports(
                reports=queryset, user=request.user, reply=form.cleaned_data["reply"]
            )
            self.message_user(
                request, f"{count} report(s) rejected; the readers will be told.", messages.SUCCESS
            )
            return None
        return self._action_form(request, queryset, form, "reject_with_reply", "Reject with a reply")

    @admin.action(description="Mark as duplicate of another report", permissions=["change"])
    def mark_duplicate(self, request, queryset):
        form = DuplicateForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            original = CorrectionReport.objects.filter(pk=form.cleaned_data["original"]).first()
            if original is None:
                form.add_error("original", "There is no report with this number.")
            else:
                try:
                    for report in queryset:
                        services.mark_duplicate(report=report, original=original, user=request.user)
                except services.CorrectionError as error:
                    form.add_error("original", str(error))
                else:
                    self.message_user(
                        request,
                        f"{queryset.count()} report(s) marked duplicate of #{original.pk}.",
                        messages.SUCCESS,
                    )
                    return None
        return self._action_form(request, queryset, form, "mark_duplicate", "Mark as duplicate")

    @admin.action(description="Publish a correction notice", permissions=["change"])
    def publish_notice(self, request, queryset):
        if len({r.group_id for r in queryset}) != 1:
            self.message_user(
                request, "Choose reports of one passage to publish a notice for.", messages.ERROR
            )
            return None
        form = NoticeForm(request.POST if "apply" in request.POST else None)
        editing = "edit" in request.POST
        if form.is_bound and form.is_valid() and request.POST.get("confirmed") and not editing:
            try:
                notice = services.publish_correction(
                    report=queryset.first(), text=form.cleaned_data["text"], user=request.user
                )
            except services.CorrectionError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(request, f"Correction published on “{notice.article}”.", messages.SUCCESS)
            return None
        extra = {}
        if form.is_bound and form.is_valid() and not editing:
            # The preview step: the notice as readers will see it, with "Publish" to confirm.
            extra = {
                "confirming": True,
                **_preview(request, queryset.first().article, form.cleaned_data["text"]),
            }
        return self._action_form(
            request,
            queryset,
            form,
            "publish_notice",
            "Publish a correction notice",
            submit="Preview the notice",
            extra=extra,
        )

    def _action_form(
        self, request, queryset, form, action: str, title: str, submit: str = "", extra: dict | None = None
    ):
        context = {
            **(extra or {}),
            **self.admin_site.each_context(request),
            "title": title,
            "submit": submit or title,
            "form": form,
            "reports": queryset.select_related("article"),
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "corrections/admin_action.html", context)

    class Media:
        css = {"all": ["css/corrections.css"]}


@admin.register(CorrectionNotice)
class CorrectionNoticeAdmin(_KeptRecord, admin.ModelAdmin):
    form = NoticeAdminForm
    list_display = ["article", "short_text", "published_at", "updated_at", "published_by"]
    list_filter = [("article", admin.RelatedOnlyFieldListFilter), "published_at"]
    search_fields = ["text", "article__headline"]
    readonly_fields = ["article", "group", "published_at", "published_by", "updated_at", "what_changed"]
    fields = ["article", "text", "published_at", "updated_at", "published_by", "group", "what_changed"]
    inlines = [NoticeRevisionInline]

    def save_model(self, request, obj, form, change) -> None:
        # Through the service: the earlier wording is kept and readers see "Updated".
        services.edit_notice(notice=obj, text=form.cleaned_data["text"], user=request.user)

    @admin.display(description="what changed in the article")
    def what_changed(self, obj: CorrectionNotice) -> str:
        if obj.revision_id is None:
            return "The notice was published without an edit of the article."
        return format_html(
            '“{}” → “{}” (<a href="{}?b={}">revisions and diff</a>)',
            obj.passage_before,
            obj.passage_after,
            reverse("admin:articles_article_revisions", args=[obj.article_id]),
            obj.revision_id,
        )

    @admin.display(description="text")
    def short_text(self, obj: CorrectionNotice) -> str:
        return Truncator(obj.text).chars(100)
