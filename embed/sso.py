"""The newsroom's readers, signed in by the newsroom: a JWT in Coral's shape as a Bearer token.

The newsroom's backend signs `{user: {id, email, username}, iat, exp, jti?}` with HS256 and
SSO_JWT_SECRET (`kid` SSO_JWT_KID; during a rotation SSO_JWT_SECRET_PREVIOUS under its own kid).
The reader's local account is linked by `user.id`, never by email: created on first sight, its
username and email following the claims. A token past `exp`, issued more than SSO_JWT_MAX_AGE
ago, wrongly signed, of another algorithm (`none` included), under an unknown kid, or revoked
(its `jti` signed out) is refused with 401.
"""

import re
import time
import uuid
from datetime import UTC, datetime

import jwt
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.models import Profile
from accounts.names import looks_taken

from .models import NewsroomAccount, RevokedToken

ALGORITHM = "HS256"
LEEWAY = 30  # seconds of clock difference between the newsroom's servers and ours
MAX_TOKEN = 8192  # characters: a Coral-shaped token is a few hundred
_NAME_CHARS = re.compile(r"[^\w.@+-]")


class Invalid(Exception):
    """Why a token is refused, in words a newsroom developer can act on."""


def _secret(kid: str | None) -> str:
    from django.conf import settings

    keys = {settings.SSO_JWT_KID: settings.SSO_JWT_SECRET}
    if settings.SSO_JWT_SECRET_PREVIOUS:
        keys[settings.SSO_JWT_KID_PREVIOUS] = settings.SSO_JWT_SECRET_PREVIOUS
    if not settings.SSO_JWT_SECRET:
        raise Invalid("Sign-in by the newsroom is not set up on this site.")
    if kid is None:
        return settings.SSO_JWT_SECRET
    if kid not in keys:
        raise Invalid("Unknown key id (kid).")
    return keys[kid]


def claims_of(token: str) -> dict:
    """The token's claims, checked; raises Invalid."""
    from django.conf import settings

    if len(token) > MAX_TOKEN:
        raise Invalid("Token too long.")
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        if kid is not None and not isinstance(kid, str):
            raise Invalid("Unknown key id (kid).")
        claims = jwt.decode(
            token,
            _secret(kid),
            algorithms=[ALGORITHM],  # pinned: never the token's own choice (`none`, RS256 with our secret)
            options={"require": ["exp", "iat", "user"]},
            leeway=LEEWAY,
        )
    except jwt.ExpiredSignatureError:
        raise Invalid("Token has expired.") from None
    except jwt.InvalidSignatureError:
        raise Invalid("Token signature is not valid.") from None
    except jwt.InvalidAlgorithmError:
        raise Invalid(f"Token must be signed with {ALGORITHM}.") from None
    except jwt.InvalidTokenError as error:
        raise Invalid(f"Token is not valid: {error}.") from None
    if not isinstance(claims["iat"], int | float) or claims["iat"] < time.time() - settings.SSO_JWT_MAX_AGE:
        raise Invalid("Token is too old: ask the newsroom for a new one.")
    _check_claims(claims)
    return claims


def _check_claims(claims: dict) -> None:
    user, jti = claims["user"], claims.get("jti")
    if not isinstance(user, dict):
        raise Invalid("`user` must be an object {id, email, username}.")
    user_id = user.get("id")
    if (
        isinstance(user_id, bool)
        or not isinstance(user_id, str | int)
        or not str(user_id)
        or len(str(user_id)) > 255
    ):
        raise Invalid("`user.id` must be a string or number of at most 255 characters.")
    if not isinstance(user.get("username", ""), str) or not isinstance(user.get("email", ""), str):
        raise Invalid("`user.username` and `user.email` must be strings.")
    if user.get("email"):
        try:
            validate_email(user["email"])
        except ValidationError:
            raise Invalid("`user.email` is not an email address.") from None
    if jti is not None and (not isinstance(jti, str) or not jti or len(jti) > 255):
        raise Invalid("`jti` must be a string of at most 255 characters.")


def _clean(name: str) -> str:
    return _NAME_CHARS.sub("", "-".join(name.split()))[:140] or "reader"


def _username(wanted: str, *, user_id: int | None = None) -> str:
    """A free username close to the newsroom's: Django's characters, another reader's name taken
    with a number added (alice, alice-2, …), never by email."""
    base = _clean(wanted)
    users = get_user_model().objects.exclude(pk=user_id)
    if not users.filter(username__iexact=base).exists() and not looks_taken(base, other_than=user_id):
        return base
    taken = {
        name.casefold()
        for name in users.filter(username__istartswith=base).values_list("username", flat=True)
    }
    number = 2
    # A name that only looks like another's ("аdmin" with a Cyrillic "а") is numbered too.
    while f"{base}-{number}".casefold() in taken or looks_taken(f"{base}-{number}", other_than=user_id):
        number += 1
    return f"{base}-{number}"


def _create(newsroom_id: str, username: str, email: str):
    """A local account for a reader the newsroom signs in for the first time."""
    user_model = get_user_model()
    try:
        with transaction.atomic():
            user = user_model(username=_username(username), email=email)
            user.set_unusable_password()  # they sign in at the newsroom, never with a password here
            user.save()
            # The newsroom vouches for its reader's address, as a link we mailed would.
            # Every account has its profile from the user's save (accounts/names.py): fill it in.
            Profile.objects.update_or_create(
                user=user,
                defaults={"verified_email": email, "email_verified_at": timezone.now() if email else None},
            )
            NewsroomAccount.objects.create(user=user, newsroom_id=newsroom_id)
            return user
    except IntegrityError:  # the same reader's first two requests at once, or the name just taken
        link = NewsroomAccount.objects.select_related("user").filter(newsroom_id=newsroom_id).first()
        if link is None:
            raise
        return link.user


def _follow_claims(user, username: str, email: str):
    """The newsroom renamed its reader or changed their address: so does their account here."""
    changed = []
    base = _clean(username)
    if username and user.username != base and not re.fullmatch(re.escape(base) + r"-\d+", user.username):
        user.username = _username(username, user_id=user.pk)
        changed.append("username")
    if email and email != user.email:
        user.email = email
        changed.append("email")
        Profile.objects.update_or_create(
            user=user, defaults={"verified_email": email, "email_verified_at": timezone.now()}
        )
    if changed:
        user.save(update_fields=changed)
    return user


def reader_for(claims: dict):
    """The local account of the reader these (checked) claims name; raises Invalid when the token
    was revoked or the account may not sign in. One query for a reader seen before."""
    info, jti = claims["user"], claims.get("jti")
    newsroom_id, username, email = str(info["id"]), info.get("username", ""), info.get("email", "")
    links = NewsroomAccount.objects.select_related("user", "user__profile")
    if jti:
        links = links.annotate(revoked=Exists(RevokedToken.objects.filter(jti=jti)))
    link = links.filter(newsroom_id=newsroom_id).first()
    if link is None:
        if jti and RevokedToken.objects.filter(jti=jti).exists():
            raise Invalid("Token has been revoked.")
        return _create(newsroom_id, username or f"reader-{uuid.uuid4().hex[:8]}", email)
    if getattr(link, "revoked", False):
        raise Invalid("Token has been revoked.")
    if not link.user.is_active:
        raise Invalid("User inactive or deleted.")
    return _follow_claims(link.user, username, email)


class NewsroomToken:
    """request.auth of a reader signed in by the newsroom: DELETE /api/v1/auth/token/ revokes it."""

    def __init__(self, claims: dict):
        self.claims = claims

    def delete(self) -> None:
        jti = self.claims.get("jti")
        if not jti:
            raise exceptions.ValidationError(
                {
                    "detail": "This token has no `jti`, so it cannot be revoked: it stays valid until it expires."
                }
            )
        expires = datetime.fromtimestamp(self.claims["exp"] + LEEWAY, tz=UTC)
        RevokedToken.objects.get_or_create(jti=jti, defaults={"expires_at": expires})


def authenticate_bearer(header: bytes) -> tuple | None:
    """(user, NewsroomToken) for an `Authorization: Bearer <JWT>` header, None for another kind;
    raises Invalid for a Bearer token that is refused."""
    parts = header.split()
    if not parts or parts[0].lower() != b"bearer":
        return None
    if len(parts) != 2:
        raise Invalid("Invalid Bearer header: `Bearer <token>`, no spaces in the token.")
    try:
        token = parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise Invalid("Invalid Bearer header: the token is not ASCII.") from None
    claims = claims_of(token)
    return reader_for(claims), NewsroomToken(claims)


class BearerAuthentication(BaseAuthentication):
    """DRF authentication of the newsroom's readers on every API call."""

    def authenticate(self, request):
        try:
            return authenticate_bearer(get_authorization_header(request))
        except Invalid as error:
            raise exceptions.AuthenticationFailed(str(error)) from None

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def forget_account(sender, user, **kwargs) -> None:
    """accounts.signals.account_deleting: the reader deleted their account here; if the newsroom
    signs them in again they start afresh."""
    NewsroomAccount.objects.filter(user=user).delete()
