"""Signed-in readers' kept copies in Redis: their keys, versions and the user copy.

A signed-in page took six queries (user, moderator check, sanctions, own comments, likes, ignored
commenters), about half of its 5.5 ms. They are read once and kept: the reader's state (their
user row, whether they moderate, why they may not post, whom they ignore) and, per article, their
likes there and their own comments that only they see where they are. Both are stamped with the
reader's version (and one for all readers), which every write that changes them announces
(delivery/changes.py: `reader`, `all_readers`; the apps that own the rows declare their saves). A
sanction that ends by the clock ends the state's life at that moment. What a state holds is in
`readers/state.py`: it reads every app, and this module is read by the apps. `readers/pages.py`
fetches the copies with the versions and the shared page in one MGET. Every signed-in request reads its user from a copy kept the same way
(`signed_in_user`).
"""

import contextlib
import copy

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from delivery import pagecache

# The most a state is kept (any change retires it sooner): bounds what a bump lost while Redis
# was unreachable can leave behind, as SESSION_CACHE_SECONDS does for sessions.
STATE_SECONDS = 300
# Group renames and deletions: who moderates may change for anyone.
ALL_VERSION_KEY = "reader-version:all"


def version_key(user_id: int) -> str:
    return f"reader-version:{user_id}"


def state_key(user_id: int) -> str:
    return f"reader:{user_id}"


def thread_key(user_id: int, slug: str) -> str:
    return f"reader-thread:{user_id}:{slug}"


def user_key(user_id: int) -> str:
    return f"reader-user:{user_id}"


def account_key(user_id: int) -> str:
    """The version of the reader's user row and profile alone (their comments do not change it)."""
    return f"reader-account:{user_id}"


def signed_in_user(request):
    """request.user as django.contrib.auth.get_user reads it, from a copy of the user row (with
    their profile, without the password hash) kept while the reader's versions are unchanged: one
    Redis round trip where every signed-in request made the user query (a comment POST, a fifth of
    its CPU). The session is checked as Django checks it, against the hash kept with the copy; a
    session that fails, or anything unusual, goes to Django, which decides (and flushes it).
    """
    session = request.session
    try:
        user_id = int(session[auth.SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return auth.get_user(request)
    if session.get(auth.BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    versions = [account_key(user_id)]
    found = pagecache.get_many([*versions, user_key(user_id)])
    stamp = pagecache.stamp_from(found, versions)
    kept = found.get(user_key(user_id))
    if current(kept, stamp, timezone.now()) and session_checks_out(session, kept[1]):
        return kept[1]["user"]
    user = auth.get_user(request)
    if user.is_authenticated and user.pk == user_id:
        keep(user_key(user_id), stamp, user_entry(user))
    return user


def session_checks_out(session, kept: dict) -> bool:
    """What django.contrib.auth.get_user checks of a session, against the hash kept with a copy of
    its user (a session that fails goes to Django, which flushes it)."""
    return constant_time_compare(session.get(auth.HASH_SESSION_KEY) or "", kept["hash"])


# The rows read with a reader's user row that are kept with it (None when there is none): the
# profile (their name) and their standing (whether they may post: a comment POST reads it).
KEPT_WITH_USER = ("profile", "standing")


def user_entry(user) -> dict:
    """The user row kept for a reader (without the password hash, with the rows kept with it) and
    their session hash."""
    for name in KEPT_WITH_USER:
        with contextlib.suppress(ObjectDoesNotExist):
            getattr(user, name)  # read now, so the copy holds it (or that there is none)
    return {"user": _without_password(user), "hash": user.get_session_auth_hash()}


def _without_password(user):
    """A copy of the user row without its password hash, which has no business in Redis. The
    field is then deferred as Django defers one: reading it queries the row, and save() writes
    only the fields it holds, so this copy can never overwrite the password. Of the related rows
    read with it only those of KEPT_WITH_USER are kept, each pointing back at the copy (the original, which it
    pointed at, holds the hash)."""
    kept = copy.copy(user)
    kept.__dict__.pop("password", None)
    cached = kept._state.fields_cache
    read = {name: cached[name] for name in KEPT_WITH_USER if name in cached}  # None: there is none
    cached.clear()
    for name, row in read.items():
        if row is not None:
            row = copy.copy(row)
            row._state.fields_cache = {"user": kept}
        cached[name] = row
    return kept


def current(entry, stamp: list, now) -> bool:
    """Whether a kept state (or thread state) was built from these versions and is not over."""
    return bool(entry) and entry[0] == stamp and (entry[1].get("until") is None or entry[1]["until"] > now)


def keep(key: str, stamp: list, value: dict) -> None:
    if None not in stamp:  # Redis unreachable: not kept
        pagecache.keep(key, (stamp, value), STATE_SECONDS)
