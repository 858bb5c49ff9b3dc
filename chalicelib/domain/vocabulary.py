"""The words messages are written in: channels, authors, timestamps.

Without pydantic: the webhook's path (settings, the dedupe record, the queue) imports these and
no model (a tenth of a second of its cold start); `chalicelib.domain.messages` re-exports them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A UTC ISO-8601 timestamp with milliseconds and a Z, sortable as text."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


class Channel(StrEnum):
    """Where a conversation happens."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    WEBCHAT = "webchat"


class Author(StrEnum):
    """Who wrote a message."""

    CUSTOMER = "customer"
    AI = "ai"
    HUMAN = "human"
