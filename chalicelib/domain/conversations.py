"""Conversations and their messages, with ownership states (ai, human, resolved)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from chalicelib.domain.vocabulary import Author, Channel


class Ownership(StrEnum):
    """Who answers the conversation now."""

    AI = "ai"
    HUMAN = "human"
    RESOLVED = "resolved"


class StoredMessage(BaseModel):
    """A message as stored in a conversation."""

    message_id: str
    author: Author
    text: str
    created_at: str
    status: str | None = Field(default=None, description="outbound: pending, sent, failed, ...")
    in_reply_to: list[str] = Field(default_factory=list)
    tools: list[dict[str, Any]] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    actions: list[dict[str, Any]] = Field(default_factory=list)
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    agent: dict[str, Any] | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    forwarded_at: str | None = Field(default=None, description="customer: sent to the helpdesk")
    claimed_until: str | None = Field(default=None, description="outbound: a sender's lease")
    sk: str = ""


class Conversation(BaseModel):
    """A conversation's state and transcript."""

    conversation_id: str
    channel: Channel
    address: str = Field(description="where replies go: phone, whatsapp:+..., email, session")
    customer_id: str | None = None
    verified: bool = False
    state: Ownership = Ownership.AI
    created_at: str
    updated_at: str = ""
    last_customer_at: str | None = Field(default=None, description="opens WhatsApp's 24 h window")
    meta: dict[str, Any] = Field(default_factory=dict)
    summary: dict[str, Any] = Field(
        default_factory=dict, description="what older messages said: orders, products, questions"
    )
    messages: list[StoredMessage] = Field(default_factory=list)
    earlier: bool = Field(
        default=False, exclude=True, description="read: `messages` are the recent ones only"
    )

    def unanswered(self) -> list[StoredMessage]:
        """Customer messages no reply has answered yet, oldest first."""
        answered = {mid for m in self.messages for mid in m.in_reply_to}
        # A compliance keyword (STOP, START, HELP) is answered by rule, a CSAT rating recorded by
        # the survey: neither is ever answered by the agent.
        customer = [
            m
            for m in self.messages
            if m.author is Author.CUSTOMER and not m.meta.get("keyword") and "csat" not in m.meta
        ]
        return [m for m in customer if m.message_id not in answered]

    def unsent(self, now: str = "") -> list[StoredMessage]:
        """Outbound messages recorded but not yet handed to the provider (or a lapsed claim)."""
        return [m for m in self.messages if m.author is not Author.CUSTOMER and _unsent(m, now)]

    def message(self, message_id: str) -> StoredMessage | None:
        """A message by id, or None."""
        return next((m for m in self.messages if m.message_id == message_id), None)


def _unsent(message: StoredMessage, now: str) -> bool:
    """Pending, or claimed by a sender whose lease ran out (it crashed mid-send)."""
    if message.status == "pending":
        return True
    lapsed = now and message.claimed_until and message.claimed_until < now
    return message.status == "claimed" and bool(lapsed)
