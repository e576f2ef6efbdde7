"""Writes about accounts."""

from .models import Profile


def record_signup(*, user, address: str | None) -> Profile:
    """Remember the address an account signed up from (one profile per account)."""
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"signup_address": address or None})
    return profile
