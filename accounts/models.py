from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Profile(models.Model):
    """What the site knows of an account beyond Django's user: where it signed up from, the name
    shown on its comments, whether its email address is verified, which emails it wants.

    Moderation counts reader flags from accounts that signed up from one address within a day
    as one flagger, so a batch of fresh accounts cannot hide a comment on its own.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    signup_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    display_name = models.CharField(max_length=50, blank=True)
    # The address that was verified and when: a change of address needs a new verification.
    verified_email = models.EmailField(blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    notify_replies = models.BooleanField(
        default=True, help_text="Email me when someone replies to my comment."
    )
    notify_approved = models.BooleanField(
        default=True, help_text="Email me when my comment is published after a moderator's review."
    )
    notify_featured = models.BooleanField(default=True, help_text="Email me when my comment is featured.")
    # What the username and the display name look like (accounts/names.py): no one may take a name
    # that looks like another reader's.
    username_skeleton = models.CharField(max_length=600, blank=True)
    display_name_skeleton = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["signup_address", "created_at"], name="profile_by_signup_address"),
            models.Index(fields=["username_skeleton"], name="profile_by_username_skeleton"),
            models.Index(fields=["display_name_skeleton"], name="profile_by_display_skeleton"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"


class IgnoredCommenter(models.Model):
    """A reader hides someone's comments for themselves."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ignoring")
    ignored = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "ignored"], name="ignore_once"),
            models.CheckConstraint(condition=~Q(user=F("ignored")), name="ignore_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ignores {self.ignored_id}"


class Standing(models.Model):
    """Whether a reader may post and flag comments, as moderation last wrote it.

    Moderation keeps it from the bans and suspensions in force when one is applied, changed or
    lifted (moderation/standing.py); a reader with none in force has no row. Comments read it on
    every post, by primary key, and judge the end times against the clock: a suspension that has
    run out lets the reader post again without anyone writing here.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="standing"
    )
    banned = models.BooleanField(default=False)
    banned_until = models.DateTimeField(null=True, blank=True, help_text="Empty with a ban: for good.")
    ban_reason = models.CharField(max_length=500, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Standing of {self.user_id}"
