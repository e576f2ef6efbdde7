"""The word lists the checks read (moderation/checks.py), edited in admin: a model of its own
module, registered through moderation/models.py."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .normalize import phrase_key


class WordListEntry(models.Model):
    """A listed word, phrase or phrasing pattern of one kind; read by every check run."""

    class Kind(models.TextChoices):
        BANNED = "banned", "Banned (reject)"
        SUSPECT = "suspect", "Suspect (review)"
        THREAT = "threat", "Threat or wish of violence (review)"
        HATE = "hate", "Dehumanising or exterminating a group (review)"
        SPAM = "spam", "Promotional phrasing (a spam signal)"

    phrase = models.CharField(
        max_length=300,
        unique=True,
        help_text="A word or phrase in plain lowercase letters, matched as whole words after the text "
        "is normalized (so leetspeak, look-alike letters and spacing tricks are caught). "
        "“kill/shoot/stab” matches any of the words, “kill*” any word starting with kill, "
        "and a lone * up to three words of any kind: “i/we will * find you”.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "phrase"]
        verbose_name = "word list entry"
        verbose_name_plural = "word lists"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["banned", "suspect", "threat", "hate", "spam"]),
                name="wordlistentry_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(phrase=""), name="wordlistentry_has_phrase"),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.kind})"

    def clean(self) -> None:
        if not phrase_key(self.phrase):
            raise ValidationError(
                {"phrase": "Use Latin letters: the text is matched after it is mapped to them."},
                code="no_letters",
            )
