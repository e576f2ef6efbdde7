import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from config.origins import canonical_origin


def _validate_origin(value: str) -> None:
    try:
        canonical_origin(value)
    except ValueError as error:
        raise ValidationError(str(error), code="origin") from None


class EmbedOrigin(models.Model):
    """A site whose pages may embed the comments: frame /embed/ and call the API from the browser.

    Beside the EMBED_ORIGINS setting, so a newsroom adds a site without a deploy.
    """

    origin = models.CharField(
        max_length=300,
        unique=True,
        validators=[_validate_origin],
        help_text="scheme://host[:port], e.g. https://www.example-news.com (no path).",
    )
    note = models.CharField(max_length=200, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["origin"]

    def __str__(self) -> str:
        return self.origin

    def clean(self) -> None:
        with contextlib.suppress(ValueError):  # else the field's validator says why
            self.origin = canonical_origin(self.origin)


class NewsroomAccount(models.Model):
    """The local account of a reader the newsroom signs in (JWT `user.id`), created on first sight."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsroom")
    newsroom_id = models.CharField("id at the newsroom", max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.newsroom_id} -> {self.user_id}"


class RevokedToken(models.Model):
    """A newsroom JWT signed out before its `exp`: refused until then, then forgotten (tasks.py)."""

    jti = models.CharField(max_length=255, unique=True)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.jti
