"""Credentials: throttles on guessing passwords and on mass sign-ups (fixed windows in
config.ratelimit, so nothing stays locked past its window), and the authentication backend that
applies them (AUTHENTICATION_BACKENDS). Every signed-in session records the backend's dotted path
and one whose path is not in AUTHENTICATION_BACKENDS is signed out: sessions signed in while it
was config.auth.ThrottledModelBackend were rewritten by migration 0006 of this app."""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from config.ratelimit import LimiterUnavailable, blocked, client_ip, give_back, hit, hit_first

log = logging.getLogger(__name__)
T = TypeVar("T")


def _account(username: str) -> str:
    # Hashed: any text a client sends becomes a safe cache key; case-folded, so "Admin" and
    # "admin" share one count.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


def _failure_limits(request, username: str) -> list[tuple[str, str, int]]:
    return [
        ("login-account", _account(username), settings.LOGIN_FAILURE_LIMIT),
        ("login-ip", client_ip(request), settings.LOGIN_FAILURE_IP_LIMIT),
    ]


def login_wait(request, *, username: str) -> int | None:
    """Seconds before this account may be tried again from this address, or None; counts nothing.

    Logins are anonymous and the limit is all that stops password guessing, so with Redis
    unreachable this fails closed: LimiterUnavailable (the views answer 503).
    """
    waits = [
        blocked(scope, ident, limit=limit, period=settings.LOGIN_FAILURE_PERIOD)
        for scope, ident, limit in _failure_limits(request, username)
    ]
    return max((w for w in waits if w), default=None)


class TooManyFailures(Exception):
    """The account or the address used up its wrong passwords for now."""

    def __init__(self, wait: int):
        super().__init__(f"Too many failed attempts; try again in {wait} seconds.")
        self.wait = wait


def try_password(request, username: str, check: Callable[[], T]) -> T:
    """check() (a password check: a user, or True, when right) with one attempt counted against
    the account's and the address's limits before it runs, and given back when it was right.

    Counting first is what holds the limit: checked first and counted after, twelve wrong
    passwords sent at once were all judged under a limit of five. Raises TooManyFailures, and
    LimiterUnavailable with Redis unreachable (password guessing fails closed)."""
    limits, now = _failure_limits(request, username), time.time()
    wait = hit_first(limits, period=settings.LOGIN_FAILURE_PERIOD, now=now)
    if wait:
        raise TooManyFailures(wait)
    result = check()
    if result:
        try:
            give_back(limits, period=settings.LOGIN_FAILURE_PERIOD, now=now)
        except LimiterUnavailable as error:  # the right password still works; a count stays
            log.warning("a right password stayed counted, Redis unreachable: %s", error)
    return result


def confirm_password(request, *, user, password: str) -> bool:
    """Whether `password` is the signed-in user's own, before a change that needs it (their
    address, their account's deletion). Counts as a login would: raises TooManyFailures and
    LimiterUnavailable, so a stolen session or token cannot guess the password here instead."""
    return try_password(request, user.get_username(), lambda: user.check_password(password))


_REFUSED = "_login_refused_wait"


def refused_wait(request) -> int | None:
    """The seconds a login the backend just refused for too many failures must wait, else None."""
    return getattr(request, _REFUSED, None)


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing every password while the account or the address is over its
    limit of failures, wherever the login comes from: the login form, the token endpoint, or the
    admin's own login page (which answers with its usual error instead of a 429). Each attempt is
    counted before the password is checked (try_password); the views ask refused_wait()."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not isinstance(username, str):
            return super().authenticate(request, username=username, password=password, **kwargs)

        def check():
            return super(ThrottledModelBackend, self).authenticate(
                request, username=username, password=password, **kwargs
            )

        try:
            return try_password(request, username, check)
        except LimiterUnavailable:  # the admin's login page: refused like a wrong password
            raise PermissionDenied("Failed logins cannot be counted now.") from None
        except TooManyFailures as refused:
            setattr(request, _REFUSED, refused.wait)
            # Stops the other backends too; Django still sends user_login_failed.
            raise PermissionDenied("Too many failed logins.") from None

    def get_user(self, user_id):
        """The signed-in user, as Django's backend reads them, with their profile in the same query:
        what they post shows their display name (a POST read it with a query of its own)."""
        users = get_user_model()._default_manager.select_related("profile")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def signup_wait(request) -> int | None:
    """Count one new account from this address; the seconds to wait when over the limit, else None.

    Sign-ups are anonymous: with Redis unreachable this fails closed (LimiterUnavailable).
    """
    return hit(
        "signup-ip", client_ip(request), limit=settings.SIGNUP_RATE_LIMIT, period=settings.SIGNUP_RATE_PERIOD
    )
