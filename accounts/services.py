"""Writes about accounts: sign-up, profile, email verification, notification choices, ignoring,
deletion."""

import logging
import uuid

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework.authtoken.models import Token

from . import names
from .models import IgnoredCommenter, Profile
from .notifications import KINDS
from .signals import account_deleting, name_changed

log = logging.getLogger(__name__)
VERIFY_SALT = "accounts.verify-email"
VERIFY_MAX_AGE = 7 * 24 * 3600
UNDO_SALT = "accounts.undo-email-change"
# How long the old address may undo a change of the account's address.
UNDO_MAX_AGE = 7 * 24 * 3600


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
    """Set the name shown on the reader's comments; one that looks like another reader's name or
    username is refused, so no one can pass for someone else."""
    name = " ".join(display_name.split())
    if name and names.looks_taken(name, other_than=user):  # looks alike: names.skeleton
        raise AccountError("Another reader uses this name. Choose another.")
    profile = profile_of(user)
    shown_before = profile.display_name
    profile.display_name, profile.display_name_skeleton = name, names.skeleton(name)
    profile.save(update_fields=["display_name", "display_name_skeleton"])
    if name != shown_before:
        name_changed.send(sender=Profile, user=user)
    return profile


def request_email_change(*, user, email: str) -> None:
    """Mail a link to the new address; the account takes it only once the link is followed
    (verify_email). The caller answers the same whether or not another account uses the address:
    the mail task then sends nothing, so no one learns whose address it is."""
    if email == user.email:
        return
    _queue("send_email_change_link", user.pk, email)


def address_taken(email: str, *, by_other_than) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exclude(pk=by_other_than.pk).exists()


def _password_stamp(user) -> str:
    # A change link dies with the password it was asked with: an undo (which drops the password)
    # must not let the link it undid be followed again.
    return salted_hmac("accounts.email-change", user.password).hexdigest()[:16]


def email_change_token(user, email: str) -> str:
    data = {"u": user.pk, "e": email, "was": user.email, "p": _password_stamp(user)}
    return signing.dumps(data, salt=VERIFY_SALT, compress=True)


def _change_email(data: dict):
    """Follow a change link: the address in it becomes the account's, verified, and the old one
    is told with an undo link (after the commit)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().filter(pk=int(data["u"]), is_active=True).first()
        if user is None or user.email != data["was"] or data.get("p") != _password_stamp(user):
            raise AccountError("This link is for an address change that no longer applies.")
        new, old = str(data["e"]), user.email
        if address_taken(new, by_other_than=user):
            raise AccountError("Another account uses this address now.")
        user.email = new
        user.save(update_fields=["email"])
        _mark_verified(user)
        if old:
            _queue("send_email_changed_notice", user.pk, old, new)
    return user


def undo_token(user, *, old: str, new: str) -> str:
    return signing.dumps({"u": user.pk, "was": old, "now": new}, salt=UNDO_SALT, compress=True)


def read_undo_token(token: str) -> tuple[int, str, str]:
    """(user id, old address, new address) of an undo link; raises AccountError."""
    try:
        data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
        return int(data["u"]), str(data["was"]), str(data["now"])
    except signing.SignatureExpired:
        raise AccountError("This link has expired. Write to us if your account was taken over.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise AccountError("This link is not valid.") from None


def undo_email_change(*, token: str):
    """Give the account its old address back, verified, and shut out whoever changed it: the
    password stops working (every session ends with it), tokens are revoked. The reader then
    sets a new password through the reset mail, which goes to the old address."""
    user_id, old, new = read_undo_token(token)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or user.email != new:
            raise AccountError("This change was already undone, or the address changed again since.")
        if address_taken(old, by_other_than=user):
            raise AccountError("Another account uses your old address now. Write to us.")
        user.email = old
        user.set_unusable_password()
        user.save(update_fields=["email", "password"])
        Token.objects.filter(user=user).delete()
        _mark_verified(user)
    return user


def queue_password_reset(*, email: str) -> None:
    """Queue the reset mail to the accounts with this address (Django's reset form picks them)."""
    _queue("send_password_reset", email)


def _queue(task: str, *args) -> None:
    """Queue one of this app's mail tasks once the transaction commits; a broker that is down
    loses the mail, never the request."""

    def queue() -> None:
        from . import tasks

        try:
            getattr(tasks, task).delay(*args)
        except Exception:
            log.exception("could not queue %s for %s", task, args[0])

    transaction.on_commit(queue)


def queue_verification(*, user) -> None:
    if user.email:  # a lost one: the reader can ask again from their page
        _queue("send_verification_email", user.pk)


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
    if "was" in data:  # a link mailed to a new address (request_email_change)
        return _change_email(data)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email != email:
        raise AccountError("This verification link is for an address your account no longer uses.")
    _mark_verified(user)
    return user


def _mark_verified(user) -> None:
    profile = profile_of(user)
    profile.verified_email, profile.email_verified_at = user.email, timezone.now()
    profile.save(update_fields=["verified_email", "email_verified_at"])


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
