"""Input of the moderator's pages; the rules themselves live in moderation.services."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from .models import ReviewItem
from .services import REJECT_REASONS

REASON_CHOICES = [("", "Choose a reason")] + [
    (code, f"{code.replace('_', ' ').capitalize()}: {words}") for code, words in REJECT_REASONS.items()
]


class ClaimForm(forms.Form):
    queue = forms.ChoiceField(choices=ReviewItem.Queue.choices)
    count = forms.IntegerField(min_value=1, max_value=100, required=False)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=ReviewItem.Decision.choices)
    # The comment version shown to the moderator: a decision judges exactly that text.
    version = forms.IntegerField(min_value=1)
    reason = forms.ChoiceField(choices=REASON_CHOICES, required=False)
    note = forms.CharField(max_length=1000, required=False)


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(ReviewItem.Decision.APPROVE, "Approve"), (ReviewItem.Decision.REJECT, "Reject")]
    )
    # "<item id>:<version seen>" for each selected item.
    items = forms.MultipleChoiceField(choices=[], required=False)
    reason = forms.ChoiceField(choices=REASON_CHOICES, required=False)
    note = forms.CharField(max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be sent: decide_many answers for each (404, 409) rather than the form.
        self.fields["items"].choices = [(v, v) for v in self.data.getlist("items") if _pair(v)][:100]

    def clean_items(self) -> list[tuple[int, int]]:
        items = [_pair(value) for value in self.cleaned_data["items"]]
        if not items:
            raise forms.ValidationError("Select at least one item.", code="no_items")
        return items


class RejectAllForm(forms.Form):
    # No default: rejecting everything an author wrote needs a reason chosen on purpose.
    reason = forms.ChoiceField(choices=REASON_CHOICES)
    note = forms.CharField(max_length=1000, required=False)


class ReverseForm(forms.Form):
    # Needed to reverse an approval (the comment is then rejected); not to reverse a rejection.
    reason = forms.ChoiceField(choices=REASON_CHOICES, required=False)
    note = forms.CharField(max_length=1000, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(max_length=1000)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("", "Choose a sanction"),
            ("ban", "Ban"),
            ("suspend", "Suspend"),
            ("premod", "Pre-moderate"),
        ]
    )
    until = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Needed for a suspension; optional for the others (UTC).",
    )
    reason = forms.CharField(max_length=500)
    # Presets for a suspension's end; "" leaves it to `until`.
    duration = forms.ChoiceField(
        required=False,
        choices=[("", "Until the time below"), ("1h", "1 hour"), ("24h", "24 hours"), ("7d", "7 days")],
    )
    reject_published = forms.BooleanField(required=False)

    DURATIONS = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}

    def clean(self):
        data = super().clean()
        # A preset ends a suspension unless a time was typed (a ban or pre-moderation has none).
        if data.get("kind") == "suspend" and not data.get("until") and data.get("duration") in self.DURATIONS:
            data["until"] = timezone.now() + self.DURATIONS[data["duration"]]
        return data


def _pair(value: str) -> tuple[int, int] | None:
    item, _, version = str(value).partition(":")
    if item.isdigit() and version.isdigit() and len(item) < 19 and len(version) < 10:
        return int(item), int(version)
    return None
