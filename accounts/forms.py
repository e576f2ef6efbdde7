from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from . import credentials, names

LOOKALIKE = "This name looks like another reader's. Choose another."


class SignupForm(UserCreationForm):
    display_name = forms.CharField(
        max_length=50,
        required=False,
        help_text="Shown on your comments. Leave empty to show your username.",
    )
    email = forms.EmailField(required=True, help_text="We send a link to confirm it; it is never shown.")

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]

    field_order = ["username", "display_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = "Letters, digits and @ . + - _ only; you log in with it."
        self.fields["password1"].help_text = "At least 8 characters, not only digits and not a common one."

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if "\x00" in name or any(not ch.isprintable() for ch in name):
            raise forms.ValidationError("Use letters, digits, spaces and punctuation only.", code="invalid")
        if name and names.looks_taken(name):
            raise forms.ValidationError("Another reader uses this name. Choose another.", code="lookalike")
        return name

    def clean_username(self) -> str:
        username = super().clean_username()
        if names.looks_taken(username):
            raise forms.ValidationError(LOOKALIKE, code="lookalike")
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            # Said here, to whoever asks: the view counts such an answer toward the sign-up limit.
            raise forms.ValidationError("Another account uses this address.", code="taken")
        return email

    def address_taken(self) -> bool:
        return self.has_error("email", code="taken")


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


class CurrentPasswordForm(forms.Form):
    """A change that needs the reader's current password (their address, deleting the account).

    The check counts as a login attempt (config.credentials.confirm_password): with too many wrong
    passwords it raises TooManyFailures, with Redis unreachable LimiterUnavailable; views answer
    429 and 503."""

    password = forms.CharField(widget=forms.PasswordInput, label="Your current password", strip=False)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not credentials.confirm_password(self.request, user=self.request.user, password=password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password


class EmailForm(CurrentPasswordForm):
    # Whether another account uses the address is never said here (no one learns whose it is):
    # the link goes out only to an address no one uses, and the answer is the same either way.
    email = forms.EmailField(label="New email address")
    field_order = ["email", "password"]


class NotificationsForm(forms.Form):
    reply = forms.BooleanField(required=False, label="Replies to my comments")
    approved = forms.BooleanField(required=False, label="My comment published after a moderator's review")
    featured = forms.BooleanField(required=False, label="My comment featured as an editors' pick")


class DeleteAccountForm(CurrentPasswordForm):
    password = forms.CharField(widget=forms.PasswordInput, label="Your password, to confirm", strip=False)
