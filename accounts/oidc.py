"""Readers who sign in with the newsroom's OpenID Connect provider (django-allauth)."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils import timezone

from .models import Profile


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        """A new reader from the provider: an address the provider verified counts as verified here."""
        user = super().save_user(request, sociallogin, form)
        claims = sociallogin.account.extra_data.get("userinfo") or sociallogin.account.extra_data
        verified = bool(user.email and claims.get("email_verified") is True)
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "verified_email": user.email if verified else "",
                "email_verified_at": timezone.now() if verified else None,
            },
        )
        return user


def provider_origins(request) -> list[str]:
    """The origins of the configured providers: the login page's form-action must allow them, as
    the button's POST is sent on to the provider (its authorization endpoint on its issuer's origin)."""
    from allauth.socialaccount.adapter import get_adapter

    from config.origins import origin_of

    found = []
    for app in get_adapter().list_apps(request, provider="openid_connect"):
        try:
            found.append(origin_of(app.settings.get("server_url", "")))
        except ValueError:
            continue
    return found
