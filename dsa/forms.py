from django import forms

from .appeals import MAX_TEXT
from .models import Notice
from .notices import MAX_EXPLANATION


class NoticeForm(forms.Form):
    category = forms.ChoiceField(
        label="What kind of illegal content is it?", choices=Notice.Category.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label="Why is it illegal?",
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Required. Say which words are illegal and, if you can, which law they break.",
    )
    name = forms.CharField(label="Your name", required=False, max_length=100)
    email = forms.EmailField(
        label="Your email",
        required=False,
        help_text="Optional. We send a receipt and then our decision here.",
    )
    good_faith = forms.BooleanField(
        label="I believe the information in this notice is accurate and complete.",
        error_messages={"required": "Confirm that you believe the notice to be accurate and complete."},
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Why is the decision wrong?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
