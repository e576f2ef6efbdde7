"""Emails the site sends a reader about their comments: per-kind opt-out, one-click unsubscribe.

Apps that notify (comments, moderation) build the text and call `send`; accounts knows the
reader's choices and signs the unsubscribe link, so no app needs another's models for it.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse

from .models import Profile

# kind -> the Profile field that switches it off, and how settings name it.
KINDS = {
    "reply": ("notify_replies", "replies to my comments"),
    "approved": ("notify_approved", "my comment published after review"),
    "featured": ("notify_featured", "my comment featured"),
}
_SALT = "accounts.unsubscribe"
# The reader's own page; its view lives in comments (it lists their comments), its address here.
ME_PATH = "/accounts/me/"


class BadToken(ValueError):
    pass


def wants(user, kind: str) -> bool:
    """Whether the reader has an address and has not switched this kind of email off."""
    if not user.email or not user.is_active:
        return False
    field = KINDS[kind][0]
    profile = Profile.objects.filter(user=user).values(field).first()
    return profile is None or profile[field]


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; never expires, since an old email's link must still work."""
    try:
        data = signing.loads(token, salt=_SALT)
        user_id, kind = int(data["u"]), data["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadToken("This unsubscribe link is not valid.") from None
    if kind not in KINDS:
        raise BadToken("This unsubscribe link is not valid.")
    return user_id, kind


def unsubscribe_url(user, kind: str) -> str:
    return settings.SITE_URL + reverse(
        "accounts:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)}
    )


def send(*, user, kind: str, subject: str, body: str) -> bool:
    """Mail the reader unless they opted out of this kind; True if sent.

    Every such email carries its unsubscribe link in the text and in `List-Unsubscribe` with
    `List-Unsubscribe-Post` (RFC 8058), so mail clients offer one-click unsubscribe.
    """
    if not wants(user, kind):
        return False
    link = unsubscribe_url(user, kind)
    text = (
        f"{body}\n\n--\nYou get this email because of your settings ({KINDS[kind][1]}).\n"
        f"Stop these emails with one click: {link}\n"
        f"All your settings: {settings.SITE_URL}{ME_PATH}"
    )
    message = EmailMessage(
        f"{settings.SITE_NAME}: {subject}",
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.send()
    return True
