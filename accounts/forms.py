from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        max_length=50,
        required=False,
        help_text="Shown on your comments instead of your username. Leave empty to use your username.",
    )

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        if "\x00" in name or any(not ch.isprintable() for ch in name):
            raise forms.ValidationError("Use letters, digits, spaces and punctuation only.", code="invalid")
        return name


class EmailForm(forms.Form):
    email = forms.EmailField(label="Email address")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        taken = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists()
        if taken:
            raise forms.ValidationError("Another account uses this address.", code="taken")
        return email


class NotificationsForm(forms.Form):
    reply = forms.BooleanField(required=False, label="Replies to my comments")
    approved = forms.BooleanField(required=False, label="My comment published after a moderator's review")
    featured = forms.BooleanField(required=False, label="My comment featured as an editors' pick")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="Your password, to confirm")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
