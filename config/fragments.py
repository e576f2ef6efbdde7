"""HTML that signed-in readers share, cached per version, with each reader's own values put in.

A signed-in reader's page differs from another's in a few places: the CSRF token in every form,
the page's own address in some (`next`), and whatever the template decides from who they are.
Shared HTML is rendered for a stand-in reader (signed in, author of nothing, with `SHARED_CONTEXT`)
with markers where the token and the address go, cached until one of its versions changes, and
`personal(html, request)` puts this reader's values in. The markers are derived from SECRET_KEY,
so no text a reader writes can contain one. The parts that depend on who the reader is (their own
comments, the moderator's toolbar) are rendered for them or cached per kind of reader.
"""

from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString

_CSRF_MARKER = "csrf" + salted_hmac("config.fragments", "csrf").hexdigest()[:24]
_PATH_MARKER = "path" + salted_hmac("config.fragments", "path").hexdigest()[:24]


class _SharedReader:
    """Signed in, and the author of nothing (a deleted comment's author_id is None, not 0)."""

    is_authenticated = True
    is_anonymous = False
    pk = id = 0


class _SharedRequest:
    def get_full_path(self) -> str:
        return _PATH_MARKER


SHARED_CONTEXT = {"csrf_token": _CSRF_MARKER, "user": _SharedReader(), "request": _SharedRequest()}


def personal(html: str, request) -> SafeString:
    """Shared HTML with this reader's CSRF token and address in place of the markers."""
    from django.middleware.csrf import get_token

    # One masked token for the whole page: masking a new one takes a random string each time.
    if not hasattr(request, "_fragments_token"):
        request._fragments_token = get_token(request)
    html = html.replace(_CSRF_MARKER, request._fragments_token).replace(
        _PATH_MARKER, escape(request.get_full_path())
    )
    return SafeString(html)
