"""The escalation packet a human gets on the helpdesk queue: versioned, its JSON Schema in docs/."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1.0"] = "1.0"
HelpdeskEventType = Literal[
    "escalation.created", "conversation.customer_message", "conversation.resolved"
]


class Model(BaseModel):
    """Base of the packet's parts: consumers should ignore keys they do not know (1.x adds only)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)


class ApiCall(Model):
    """One call of the helpdesk API: method, URL and the JSON body to send."""

    method: Literal["GET", "POST"]
    url: str
    body: dict[str, Any] | None = None


class ReplyInstructions(Model):
    """How to answer: the API calls, authenticated with `X-Api-Key` (one of HELPDESK_API_KEYS)."""

    reply: ApiCall
    resolve: ApiCall
    release: ApiCall
    conversation: ApiCall
    auth_header: str = "X-Api-Key"
    note: str = Field(description="what the customer's channel does with a reply")


class Shipment(Model):
    """Where an order is: carrier and tracking."""

    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    estimated_delivery: str | None = None


class OrderSnapshot(Model):
    """An order as a human needs it to answer."""

    order_id: str
    order_number: str
    status: str
    placed_at: str
    items: list[dict[str, Any]] = Field(default_factory=list)
    total: float = 0
    currency: str = "USD"
    shipment: Shipment | None = None


class ChannelConstraints(Model):
    """What the customer's channel allows now (so a reply does not fail or surprise)."""

    free_text_allowed: bool = Field(description="false: a reply goes out as a template, or not")
    whatsapp_window_open: bool | None = None
    whatsapp_window_closes_at: str | None = None
    sms_opted_out: bool = False
    identity_verified: bool = True
    notes: list[str] = Field(default_factory=list)


class CustomerSnapshot(Model):
    """The customer at the time of the escalation: who they are and what they have with us."""

    customer_id: str | None
    name: str = ""
    email: str | None = None
    phone: str | None = None
    tier: str | None = None
    loyalty_points: int | None = None
    lifetime_value: float = 0
    open_orders: list[OrderSnapshot] = Field(default_factory=list)
    recent_orders: list[OrderSnapshot] = Field(default_factory=list)
    cart: dict[str, Any] | None = None
    consent: dict[str, Any] = Field(default_factory=dict)
    constraints: ChannelConstraints


class PacketReason(Model):
    """Why the conversation escalated: a reason code and the words that triggered it."""

    code: str = Field(
        description="human_requested, frustration, damaged_item, ... (docs/reference/queues.md)"
    )
    evidence: str = ""


class ToolAttempt(Model):
    """A tool the AI called, with its arguments and result."""

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    result: Any = None
    at: str


class Attempted(Model):
    """What the AI already tried, so the human does not try it again."""

    tools: list[ToolAttempt] = Field(default_factory=list)
    discounts_applied: list[dict[str, Any]] = Field(default_factory=list)


class TranscriptEntry(Model):
    """One message of the conversation, with its author and time."""

    message_id: str
    author: Literal["customer", "ai", "human"]
    agent_name: str | None = None
    text: str
    created_at: str
    status: str | None = Field(default=None, description="outbound delivery status")
    attachments: list[dict[str, Any]] = Field(default_factory=list)


class EscalationPacket(Model):
    """Everything a human needs to answer without asking the customer anything again."""

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    escalation_id: str
    conversation_id: str
    created_at: str
    channel: Literal["sms", "whatsapp", "email", "webchat"]
    reply: ReplyInstructions
    customer: CustomerSnapshot
    reasons: list[PacketReason]
    priority: Literal["low", "normal", "high", "urgent"]
    respond_by: str
    summary: str
    attempted: Attempted
    suggested_next_step: str
    transcript: list[TranscriptEntry]
    transcript_truncated: bool = Field(
        default=False,
        description="true: older messages left out; GET reply.conversation pages through them all",
    )


class HelpdeskEvent(Model):
    """A message on the helpdesk queue: a type and its data (always with `conversation_id`)."""

    type: HelpdeskEventType
    data: dict[str, Any]


def packet_schema() -> dict[str, Any]:
    """The packet's JSON Schema, as published in docs/escalation-packet.schema.json."""
    schema = EscalationPacket.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"urn:tandem:escalation-packet:{SCHEMA_VERSION}"
    return schema
