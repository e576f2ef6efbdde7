from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What the site knows of an account beyond Django's user: where it signed up from.

    Moderation counts reader flags from accounts that signed up from one address within a day
    as one flagger, so a batch of fresh accounts cannot hide a comment on its own.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    signup_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["signup_address", "created_at"], name="profile_by_signup_address")]

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"
