"""The one cursor format of every keyset page (comment threads, the moderation queue, articles).

A cursor is base64url of a JSON list the server wrote. What comes back is checked value by value
against what the caller expects, so a cursor the server could not have written (not base64 or
JSON, nested, a float such as 1e400, a time the calendar cannot hold) is BadCursor, a 400, never a 500.
"""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime

# Cursors the server writes are under 100 characters; nothing longer is read.
MAX_LENGTH = 200
_BIGINT = 2**63 - 1


class BadCursor(ValueError):
    def __init__(self, message: str = "Invalid cursor."):
        super().__init__(message)


def encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, allow_nan=False).encode()).decode().rstrip("=")


def decode(cursor: str, *kinds: Callable) -> tuple:
    """The cursor's values, each read by its kind (integer, boolean, moment, optional(...))."""
    if not cursor or len(cursor) > MAX_LENGTH:
        raise BadCursor()
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("not the expected list")
        return tuple(kind(value) for kind, value in zip(kinds, values, strict=True))
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error):
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
