from django import forms

from . import services


class CorrectionReportForm(forms.Form):
    quote = forms.CharField(
        label="The passage concerned",
        required=False,
        max_length=services.MAX_QUOTE,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Copy the words from the article (up to 1,000 characters).",
    )
    prefix = forms.CharField(
        required=False, max_length=services.MAX_CONTEXT, strip=False, widget=forms.HiddenInput
    )
    suffix = forms.CharField(
        required=False, max_length=services.MAX_CONTEXT, strip=False, widget=forms.HiddenInput
    )
    message = forms.CharField(
        label="What is wrong",
        max_length=services.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Required. Up to 5,000 characters.",
    )
    suggestion = forms.CharField(
        label="Suggested wording",
        required=False,
        max_length=services.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(label="Your name", required=False, max_length=100)
    email = forms.EmailField(
        label="Your email", required=False, help_text="Optional. Lets the desk reply to you."
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)

    def clean_quote(self) -> str:
        quote = self.cleaned_data["quote"]
        return quote if quote.strip() else ""
