"""HTML that signed-in readers share, cached per version, with each reader's own values put in.

A signed-in reader's page differs from another's in a few places: the CSRF token in every form,
the page's own address in some (`next`), and whatever the template decides from who they are.
Shared HTML is rendered for a stand-in reader (signed in, author of nothing, with `SHARED_CONTEXT`)
with markers where the token and the address go, cached until one of its versions changes, and
`personal(html, request)` puts this reader's values in. The markers are derived from SECRET_KEY,
so no text a reader writes can contain one. The parts that depend on who the reader is (their own
comments, the moderator's toolbar) are rendered for them or cached per kind of reader.
"""

import re

from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString


def _marker(name: str) -> str:
    return name + salted_hmac("config.fragments", name).hexdigest()[:24]


_CSRF_MARKER = _marker("csrf")
_PATH_MARKER = _marker("path")
# Only in whole pages (readers/pages.py): the reader's name and id, why they may not post,
# where the comments go, and each Like button's state (the comment's id follows, then ".").
USER_MARKER = _marker("user")
USER_ID_MARKER = _marker("uid")
REFUSAL_MARKER = _marker("refusal")
ITEMS_MARKER = _marker("items")
ADMIN_MARKER = _marker("admin")
_LIKE_MARKER = _marker("like")
LIKED = SafeString('value="unlike" aria-pressed="true"')
NOT_LIKED = SafeString('value="like" aria-pressed="false"')
_SPLIT = re.compile(
    f"({_CSRF_MARKER}|{_PATH_MARKER}|{USER_MARKER}|{USER_ID_MARKER}|{REFUSAL_MARKER}|{ADMIN_MARKER}|{_LIKE_MARKER}\\d+\\.)"
)
_NAMES = {
    _CSRF_MARKER: "csrf",
    _PATH_MARKER: "path",
    USER_MARKER: "user",
    USER_ID_MARKER: "uid",
    REFUSAL_MARKER: "refusal",
    ADMIN_MARKER: "admin",
}


class _SharedReader:
    """Signed in, and the author of nothing (a deleted comment's author_id is None, not 0)."""

    is_authenticated = True
    is_anonymous = False
    pk = id = 0


class _PageReader(_SharedReader):
    """The reader of a whole shared page: their id and name are markers; staff (the page drops
    the Admin link for others: readers/pages.py)."""

    is_staff = True
    pk = id = USER_ID_MARKER

    def get_username(self) -> str:
        return USER_MARKER


PAGE_READER = _PageReader()


class _SharedRequest:
    def get_full_path(self) -> str:
        return _PATH_MARKER


SHARED_CONTEXT = {"csrf_token": _CSRF_MARKER, "user": _SharedReader(), "request": _SharedRequest()}


def csrf_token(request) -> str:
    """The reader's CSRF token (django.middleware.csrf.get_token), one per page: masking a new
    one for each form would take a random string each time."""
    if not hasattr(request, "_fragments_token"):
        request._fragments_token = get_token(request)
    return request._fragments_token


def personal(html: str, request) -> SafeString:
    """Shared HTML with this reader's CSRF token and address in place of the markers."""
    csrf_token(request)
    html = html.replace(_CSRF_MARKER, request._fragments_token).replace(
        _PATH_MARKER, escape(request.get_full_path())
    )
    return SafeString(html)


def like_marker(comment_id: int) -> str:
    return f"{_LIKE_MARKER}{comment_id}."


def split(html: str) -> list:
    """Shared HTML as literal UTF-8 bytes at even places and, between them, what goes there: a
    name ("csrf", "path", "user", "uid", "refusal", "admin") or a comment id (its Like button's
    state). Bytes: decoding 90 KB when unpickling and encoding the page again took 60 µs."""
    parts = _SPLIT.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].encode()
    for i in range(1, len(parts), 2):
        parts[i] = _NAMES.get(parts[i]) or int(parts[i][len(_LIKE_MARKER) : -1])
    return parts


_LIKED, _NOT_LIKED = LIKED.encode(), NOT_LIKED.encode()


def fill(parts: list, values: dict[str, bytes], liked: set[int]) -> bytes:
    """split() parts with this reader's values (bytes) and Like states put in (string work only:
    the templates took most of a signed-in page)."""
    out = parts.copy()
    for i in range(1, len(out), 2):
        key = out[i]
        if type(key) is int:
            out[i] = _LIKED if key in liked else _NOT_LIKED
        else:
            out[i] = values[key]
    return b"".join(out)
