from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from .services import verification_token


def send_verification_email(*, user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    link = settings.SITE_URL + reverse("accounts:verify", kwargs={"token": verification_token(user)})
    send_mail(
        f"{settings.SITE_NAME}: confirm your email address",
        f"Hello {user.get_username()},\n\nConfirm that {user.email} is your address by opening this link "
        f"within 7 days:\n{link}\n\nIf you did not sign up, ignore this email.",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True
