"""Mails about the account's address. None of them carries the username or anything else a
reader typed but the address itself: they go to addresses no one has confirmed yet."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.urls import reverse

from . import services


def _user(user_id: int):
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _send(subject: str, body: str, to: str) -> None:
    send_mail(f"{settings.SITE_NAME}: {subject}", body, settings.DEFAULT_FROM_EMAIL, [to])


def _link(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(name, kwargs={"token": token})


def send_verification_email(*, user_id: int) -> bool:
    user = _user(user_id)
    if user is None or not user.email:
        return False
    link = _link("accounts:verify", services.verification_token(user))
    _send(
        "confirm your email address",
        f"Hello,\n\nConfirm that {user.email} is your address at {settings.SITE_NAME} by opening this "
        f"link within 7 days:\n{link}\n\nIf you did not sign up, ignore this email.",
        user.email,
    )
    return True


def send_email_change_link(*, user_id: int, email: str) -> bool:
    """The link that makes `email` the account's address; nothing when another account uses it."""
    user = _user(user_id)
    if user is None or email == user.email or services.address_taken(email, by_other_than=user):
        return False
    link = _link("accounts:verify", services.email_change_token(user, email))
    _send(
        "confirm your new email address",
        f"Hello,\n\nSomeone signed in to an account at {settings.SITE_NAME} asked to use {email} as its "
        f"address. To make it so, open this link within 7 days:\n{link}\n\n"
        "If you did not ask for this, ignore this email: nothing changes.",
        email,
    )
    return True


def send_email_changed_notice(*, user_id: int, old: str, new: str) -> bool:
    """Tell the old address of a change, with the link that undoes it."""
    user = _user(user_id)
    if user is None:
        return False
    days = services.UNDO_MAX_AGE // (24 * 3600)
    link = _link("accounts:undo_email", services.undo_token(user, old=old, new=new))
    _send(
        "your email address was changed",
        f"Hello,\n\nThe address of your account at {settings.SITE_NAME} was changed from {old} to {new}.\n\n"
        f"If you did this, there is nothing to do. If you did not, undo it within {days} days:\n{link}\n"
        "Undoing it gives your account this address back and signs everyone out of it; you then set "
        "a new password.",
        old,
    )
    return True


def send_password_reset(*, email: str) -> None:
    """Django's reset mail to each active account with this address and a usable password."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        extra_email_context={"site_name": settings.SITE_NAME},
    )
