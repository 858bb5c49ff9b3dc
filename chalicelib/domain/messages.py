"""Messages as every channel produces and consumes them: the agent never sees a provider's format."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from chalicelib.domain.vocabulary import Author, Channel, iso, utcnow

__all__ = [
    "Attachment",
    "Author",
    "Channel",
    "CustomerRef",
    "InboundMessage",
    "OutboundMessage",
    "SendResult",
    "iso",
    "utcnow",
]


class Attachment(BaseModel):
    """A file that came with a message: recorded, never fetched with credentials elsewhere."""

    content_type: str
    url: str | None = None
    name: str | None = None
    size: int | None = None


class CustomerRef(BaseModel):
    """A way of naming a customer: by the store's id, email or phone (one is enough)."""

    customer_id: str | None = None
    email: str | None = None
    phone: str | None = None


class InboundMessage(BaseModel):
    """A customer's message, normalized from any channel."""

    channel: Channel
    source: str = Field(description="dedupe namespace: twilio, ses, webchat")
    external_id: str = Field(description="the provider's id of this delivery (MessageSid, ...)")
    sender: str = Field(description="the channel address: E.164, whatsapp:+E164, email, session")
    text: str
    received_at: datetime = Field(default_factory=utcnow)
    verified: bool = Field(description="the sender's identity is proven by the channel")
    customer: CustomerRef | None = Field(default=None, description="verified customer, if known")
    conversation_id: str | None = Field(default=None, description="set when the channel knows it")
    attachments: list[Attachment] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict, description="channel extras (subject, ...)")

    def as_json(self) -> dict[str, Any]:
        """The message as JSON (what the inbound queue carries)."""
        return self.model_dump(mode="json")


class OutboundMessage(BaseModel):
    """A message to send to a customer on their channel; `message_id` is ours and stable."""

    message_id: str
    conversation_id: str
    channel: Channel
    recipient: str
    text: str
    author: Author = Author.AI
    meta: dict[str, Any] = Field(default_factory=dict, description="channel extras (subject, ...)")


class SendResult(BaseModel):
    """What a provider answered to a send."""

    provider_id: str | None = None
    status: str = "sent"
