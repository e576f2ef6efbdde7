"""Reads about accounts."""

from django.db.models import F

from .models import IgnoredCommenter, Profile
from .notifications import KINDS
from .signals import account_exporting


def display_name(user) -> str:
    """The name shown on the reader's comments: their display name, else their username.

    Reads `user.profile`, so a caller listing many users selects `author__profile` with them.
    """
    try:
        name = user.profile.display_name
    except Profile.DoesNotExist:
        name = ""
    return name or user.get_username()


def ignored_ids(user) -> set[int]:
    """The commenters this reader ignores (empty for anonymous readers)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(IgnoredCommenter.objects.filter(user=user).values_list("ignored_id", flat=True))


def ignored_commenters(user) -> list[IgnoredCommenter]:
    return list(IgnoredCommenter.objects.filter(user=user).select_related("ignored__profile"))


def account_data(user) -> dict:
    """The reader's own account as they see it (GET /api/v1/me/)."""
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": profile.display_name or user.get_username(),
        "email": user.email,
        "email_verified": is_verified(user, profile=profile),
        "date_joined": user.date_joined,
        "notifications": {kind: getattr(profile, field) for kind, (field, _) in KINDS.items()},
    }


def is_verified(user, *, profile: Profile | None = None) -> bool:
    """Whether the account's current address is the one verified."""
    if profile is None:
        profile = Profile.objects.filter(user=user).first()
    return bool(profile and user.email and profile.email_verified_at and profile.verified_email == user.email)


def verified_among(user_ids: set[int]) -> set[int]:
    """Which of these accounts have their current address verified (one query)."""
    return set(
        Profile.objects.filter(user_id__in=user_ids, email_verified_at__isnull=False)
        .exclude(verified_email="")
        .filter(verified_email=F("user__email"))
        .values_list("user_id", flat=True)
    )


def export_for(user) -> dict:
    """Everything the site holds about the reader, as JSON-ready data ("download my data")."""
    profile = Profile.objects.filter(user=user).first()
    data = {
        "account": {
            **account_data(user),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "signup_address": profile.signup_address if profile else None,
            "email_verified_at": profile.email_verified_at.isoformat()
            if profile and profile.email_verified_at
            else None,
        },
        "ignored_commenters": [
            {"id": i.ignored_id, "name": display_name(i.ignored), "since": i.created_at.isoformat()}
            for i in ignored_commenters(user)
        ],
    }
    for _receiver, part in account_exporting.send(sender=type(user), user=user):
        data.update(part or {})
    return data
