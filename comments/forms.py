from django import forms

from .models import CommentFlag
from .services import MAX_BODY


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment", max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 5})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=CommentFlag.Reason.choices)
    note = forms.CharField(max_length=500, required=False)
