"""Writes about accounts: sign-up, profile, email verification, notification choices, ignoring,
deletion."""

import logging
import uuid

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import IgnoredCommenter, Profile
from .notifications import KINDS
from .signals import account_deleting

log = logging.getLogger(__name__)
VERIFY_SALT = "accounts.verify-email"
VERIFY_MAX_AGE = 7 * 24 * 3600


class AccountError(Exception):
    """A rule a reader's action broke; views map it to a 4xx with this message."""


def profile_of(user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def record_signup(*, user, address: str | None) -> Profile:
    """Remember the address an account signed up from (one profile per account) and send the
    email verification link."""
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"signup_address": address or None})
    queue_verification(user=user)
    return profile


def update_profile(*, user, display_name: str) -> Profile:
    """Set the name shown on the reader's comments; another reader's name or username is refused,
    so no one can pass for someone else."""
    name = " ".join(display_name.split())
    if name and name.casefold() != user.get_username().casefold():
        users = get_user_model().objects.exclude(pk=user.pk)
        if (
            users.filter(username__iexact=name).exists()
            or Profile.objects.exclude(user=user).filter(display_name__iexact=name).exists()
        ):
            raise AccountError("Another reader uses this name. Choose another.")
    profile = profile_of(user)
    profile.display_name = name
    profile.save(update_fields=["display_name"])
    return profile


def change_email(*, user, email: str) -> None:
    """A new address is unverified until its link is followed."""
    if email == user.email:
        return
    user.email = email
    user.save(update_fields=["email"])
    queue_verification(user=user)


def queue_verification(*, user) -> None:
    if not user.email:
        return

    def queue() -> None:
        from .tasks import send_verification_email

        try:
            send_verification_email.delay(user.pk)
        except Exception:  # the broker is down: the reader can ask again from their page
            log.exception("could not queue the verification email for user %s", user.pk)

    transaction.on_commit(queue)


def verification_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True)


def verify_email(*, token: str):
    """Mark the address in the token verified; raises AccountError for a bad, old or stale link."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
        user_id, email = int(data["u"]), str(data["e"])
    except signing.SignatureExpired:
        raise AccountError("This verification link has expired. Ask for a new one from your page.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise AccountError("This verification link is not valid.") from None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email != email:
        raise AccountError("This verification link is for an address your account no longer uses.")
    profile = profile_of(user)
    profile.verified_email, profile.email_verified_at = email, timezone.now()
    profile.save(update_fields=["verified_email", "email_verified_at"])
    return user


def set_notifications(*, user, **choices: bool) -> Profile:
    profile = profile_of(user)
    fields = [KINDS[kind][0] for kind in choices]
    for kind, wanted in choices.items():
        setattr(profile, KINDS[kind][0], bool(wanted))
    profile.save(update_fields=fields)
    return profile


def ignore(*, user, ignored_id: int) -> None:
    """Hide that commenter's comments for this reader; idempotent."""
    if ignored_id == user.pk:
        raise AccountError("You cannot ignore yourself.")
    if not get_user_model().objects.filter(pk=ignored_id, is_active=True).exists():
        raise AccountError("No such commenter.")
    try:
        with transaction.atomic():
            IgnoredCommenter.objects.get_or_create(user=user, ignored_id=ignored_id)
    except IntegrityError:  # the same click twice at once
        pass


def unignore(*, user, ignored_id: int) -> None:
    IgnoredCommenter.objects.filter(user=user, ignored_id=ignored_id).delete()


def delete_account(*, user) -> str:
    """Delete the reader's account; returns the anonymous name that replaces it.

    The user row stays as an inactive, nameless tombstone so the rows that must remain (their
    comments as "[deleted]" placeholders holding replies in place, audit records) still point
    somewhere; everything personal goes: name, address, password, profile, tokens, and through
    `account_deleting` their comment texts and their name in audit records.
    """
    anonymous = f"deleted-{uuid.uuid4().hex[:12]}"
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        account_deleting.send(sender=get_user_model(), user=user, anonymous_name=anonymous)
        Token.objects.filter(user=user).delete()
        IgnoredCommenter.objects.filter(user=user).delete()
        IgnoredCommenter.objects.filter(ignored=user).delete()
        Profile.objects.filter(user=user).delete()
        user.username, user.email, user.first_name, user.last_name = anonymous, "", "", ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    return anonymous
