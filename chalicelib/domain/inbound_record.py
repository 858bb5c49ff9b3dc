"""An inbound message as a webhook records and queues it, without pydantic.

The webhook's cold start builds one message and writes its JSON: `InboundRecord.as_json()` is
exactly `InboundMessage.model_dump(mode="json")` for the same fields (tests hold them equal), and
the worker reads it back as an `InboundMessage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.vocabulary import Channel


@dataclass(frozen=True)
class InboundRecord:
    """`InboundMessage`'s fields as a channel parsed them (attachments as their dicts; meta holds
    JSON values, its numbers finite)."""

    channel: Channel
    source: str
    external_id: str
    sender: str
    text: str
    received_at: datetime
    verified: bool
    customer: dict[str, Any] | None = None
    conversation_id: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The message as JSON, as pydantic dumps an `InboundMessage`."""
        return {
            "channel": self.channel.value,
            "source": self.source,
            "external_id": self.external_id,
            "sender": self.sender,
            "text": self.text,
            "received_at": json_datetime(self.received_at),
            "verified": self.verified,
            "customer": _customer(self.customer),
            "conversation_id": self.conversation_id,
            "attachments": [attachment(**a) for a in self.attachments],
            "meta": dict(self.meta),
        }


def attachment(
    content_type: str, url: str | None = None, name: str | None = None, size: int | None = None
) -> dict[str, Any]:
    """An `Attachment`'s fields, each one given (pydantic dumps them all, in this order)."""
    return {"content_type": content_type, "url": url, "name": name, "size": size}


def _customer(given: dict[str, Any] | None) -> dict[str, Any] | None:
    if given is None:
        return None
    return {key: given.get(key) for key in ("customer_id", "email", "phone")}


def json_datetime(moment: datetime) -> str:
    """ISO 8601 as pydantic writes it in JSON: a zero UTC offset as `Z`."""
    text = moment.isoformat()
    if moment.utcoffset() == timedelta(0):
        return text.removesuffix("+00:00") + "Z"
    return text
