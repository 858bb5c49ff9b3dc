"""Pages of a conversation's transcript: opaque cursors over message sort keys."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from chalicelib.domain.conversations import StoredMessage
from chalicelib.domain.errors import BadRequestError

# A message's sort key is MSG#<ISO time>#<message id>: ids are short, so is a cursor.
MAX_CURSOR_CHARS = 400


@dataclass
class TranscriptPage:
    """Messages of one page, oldest first, and the cursor of the next page (None: the last)."""

    messages: list[StoredMessage]
    next_cursor: str | None


def cursor_of(sk: str) -> str:
    """The cursor that continues after the message with this sort key."""
    return base64.urlsafe_b64encode(sk.encode()).decode().rstrip("=")


def sk_of_cursor(cursor: str) -> str:
    """The sort key a cursor continues after; BadRequestError naming `cursor` when it is not ours."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise BadRequestError(
            "cursor is too long: pass next_cursor back as it came", field="cursor"
        )
    try:
        sk = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError):
        sk = ""
    if not sk.startswith("MSG#") or sk.count("#") < 2:
        raise BadRequestError(
            "cursor is not a transcript cursor: pass next_cursor back", field="cursor"
        )
    return sk
