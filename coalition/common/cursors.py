"""Opaque page positions for keyset pagination, shared by the explorer's pages and the API's lists.

A cursor is [key, value, id, rows before], JSON in URL-safe base64 without padding: the order it
was made for (a sort name, "id", …), the sort key's value and the id of the row to continue from,
and how many rows come before the page (for "page N of M" and the numbering). Reading checks all
of it, so a damaged or foreign cursor is refused with BadCursor, never trusted.
"""

import base64
import binascii
import json

from coalition.common.lookups import KEY_RANGE


class BadCursor(ValueError):
    pass


def cursor_make(*, key: str, value, pk: int, offset: int) -> str:
    """The cursor of the row `pk` whose sort key is `value` (JSON-ready), with `offset` rows before."""
    raw = json.dumps([key, value, pk, offset], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_read(token: str, *, key: str) -> tuple[object, int, int]:
    """(value, id, offset) of a cursor made for `key`; BadCursor for anything else. The value
    is as JSON gave it: the caller checks its type for its order."""
    try:
        if len(token) > 2000:
            raise ValueError
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        cursor_key, value, pk, offset = json.loads(raw.decode())
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError) as error:
        raise BadCursor from error
    if cursor_key != key or type(pk) is not int or pk not in KEY_RANGE or type(offset) is not int or offset < 0:
        raise BadCursor
    return value, pk, offset
