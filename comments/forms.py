from django import forms

from .models import CommentFlag
from .services import MAX_BODY, too_long


class CommentForm(forms.Form):
    # No max_length: browsers cut a pasted text at `maxlength` without a word, and the text
    # over the limit must be refused whole and given back to its writer.
    body = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 5}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body) > MAX_BODY:
            raise forms.ValidationError(too_long(len(body)), code="max_length")
        return body


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=CommentFlag.Reason.choices)
    note = forms.CharField(max_length=500, required=False)
