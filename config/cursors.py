"""The one cursor format of every keyset page (comment threads, the moderation queue, articles).

A cursor is base64url of a JSON list the server wrote, signed (django.core.signing, the site's
SECRET_KEY): only cursors the server handed out are read, so a made-up one, however well-formed,
never names a page of its own (nor an entry of the page cache: delivery/pagecache.py keys cached
answers by the values read back). What comes back is also checked value by value against what
the caller expects, so a cursor the server could not have written (not base64 or JSON, nested, a
float such as 1e400, a time the calendar cannot hold, a bad signature) is BadCursor, a 400, never
a 500.
"""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from django.core import signing

# Cursors the server writes are under 150 characters; nothing longer is read.
MAX_LENGTH = 250
_BIGINT = 2**63 - 1
# "." is outside base64url, so it cannot be part of the value it ends.
_SIGNER = signing.Signer(salt="config.cursors", sep=".")


class BadCursor(ValueError):
    def __init__(self, message: str = "Invalid cursor."):
        super().__init__(message)


def encode(values: list) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(values, allow_nan=False).encode()).decode().rstrip("=")
    return _SIGNER.sign(payload)


def values(cursor: str) -> tuple:
    """The values of the JSON list a cursor the server wrote holds, unread (for a cache key);
    raises BadCursor."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_LENGTH:
        raise BadCursor()
    return _values(cursor)


# Remembered (a page's cursor is read for its cache key and again by the view: 26 µs each):
# only cursors the server signed get here, so an outsider cannot fill it; failures are not kept.
@lru_cache(maxsize=1024)
def _values(cursor: str) -> tuple:
    try:
        payload = _SIGNER.unsign(cursor)
        read = json.loads(
            base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=b"-_", validate=True)
        )
    except (signing.BadSignature, ValueError, TypeError, RecursionError, binascii.Error):
        raise BadCursor() from None
    if not isinstance(read, list):
        raise BadCursor()
    return tuple(read)


def decode(cursor: str, *kinds: Callable) -> tuple:
    """The cursor's values, each read by its kind (integer, boolean, moment, optional(...))."""
    read = values(cursor)
    try:
        if len(read) != len(kinds):
            raise ValueError("not the expected list")
        return tuple(kind(value) for kind, value in zip(kinds, read, strict=True))
    except (ValueError, TypeError, OverflowError):
        raise BadCursor() from None


def integer(value) -> int:
    """An id, a count or an offset: a JSON integer (not a float, not a bool) that fits a bigint."""
    if type(value) is not int or not 0 <= value <= _BIGINT:
        raise ValueError("not an integer in range")
    return value


def boolean(value) -> bool:
    if type(value) is not bool:
        raise ValueError("not a boolean")
    return value


def moment(value) -> datetime:
    """An ISO 8601 time with its offset, as datetime.isoformat() or str() of an aware datetime wrote it."""
    if not isinstance(value, str):
        raise ValueError("not a string")
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError("no UTC offset")
    at.astimezone(UTC)  # OverflowError at the ends of the calendar, before the database sees it
    return at


def optional(kind: Callable) -> Callable:
    return lambda value: None if value is None else kind(value)
