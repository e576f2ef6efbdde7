from django.utils.functional import SimpleLazyObject

from .permissions import is_moderator
from .services import REJECT_REASONS

# The toolbar's reason chooser: (code, short label).
REJECT_REASON_CHOICES = [(code, code.replace("_", " ").capitalize()) for code in REJECT_REASONS]


def moderation(request) -> dict:
    """`is_moderator` for templates (the header link, the toolbar under comments).

    Lazy, so a page that never asks costs no query; anonymous visitors never cost one.
    """
    return {
        "is_moderator": SimpleLazyObject(lambda: is_moderator(request.user)),
        "moderation_reject_reasons": REJECT_REASON_CHOICES,
    }
