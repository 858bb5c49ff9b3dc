"""Builds the escalation packet from what one turn already loaded: reasons, attempts, transcript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.escalations import (
    ApiCall,
    Attempted,
    EscalationPacket,
    PacketReason,
    ReplyInstructions,
    ToolAttempt,
    TranscriptEntry,
)
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import Author, Channel, iso
from chalicelib.handoff.snapshot import customer_snapshot

MAX_PACKET_BYTES = 240_000  # SQS takes 256 KiB; keep room for the envelope
CHANNEL_NOTES = {
    Channel.SMS: "Your reply is sent as an SMS from the store's number (long texts are split).",
    Channel.WHATSAPP: "Your reply is sent on WhatsApp; outside the 24-hour window as the "
    "store's approved template.",
    Channel.EMAIL: "Your reply is sent as an email in the customer's thread.",
    Channel.WEBCHAT: "Your reply appears in the customer's chat widget with your name.",
}
NEXT_STEPS = {
    "damaged_item": "Apologize, ask for a photo if there is none, and offer a replacement or a "
    "refund for the damaged item.",
    "legal_or_chargeback": "Do not admit fault; route to the person who handles disputes.",
    "discount_judgment": "Decide whether the discount is warranted and tell the customer.",
}


@dataclass(frozen=True)
class Escalating:
    """What the hook decided: the escalation's id, reasons, timing and the AI's notes."""

    escalation_id: str
    reasons: list[PacketReason]
    priority: str
    respond_by: str
    summary: str
    suggested_next_step: str


def build_packet(
    conversation: Conversation,
    bundle: CustomerBundle,
    decided: Escalating,
    base_url: str,
    now: datetime,
) -> EscalationPacket:
    """The versioned packet for the helpdesk queue, trimmed to fit one SQS message."""
    packet = EscalationPacket(
        escalation_id=decided.escalation_id,
        conversation_id=conversation.conversation_id,
        created_at=iso(now),
        channel=conversation.channel.value,
        reply=reply_instructions(base_url, conversation),
        customer=customer_snapshot(conversation, bundle, now),
        reasons=decided.reasons,
        priority=decided.priority,
        respond_by=decided.respond_by,
        summary=decided.summary or _summary(conversation),
        attempted=attempted(conversation.messages),
        suggested_next_step=decided.suggested_next_step or _next_step(decided.reasons),
        transcript=transcript(conversation.messages),
        # A turn reads its recent messages only: reply.conversation pages through the rest.
        transcript_truncated=conversation.earlier,
    )
    return fit(packet)


def reply_instructions(base_url: str, conversation: Conversation) -> ReplyInstructions:
    """The API calls that answer, resolve, release and read this conversation."""
    url = f"{base_url}/conversations/{conversation.conversation_id}"
    body = {"text": "<your reply>", "agent": {"id": "<your id>", "name": "<your name>"}}
    return ReplyInstructions(
        reply=ApiCall(method="POST", url=f"{url}/replies", body=body),
        resolve=ApiCall(method="POST", url=f"{url}/resolve"),
        release=ApiCall(method="POST", url=f"{url}/release"),
        conversation=ApiCall(method="GET", url=url),
        note=CHANNEL_NOTES[conversation.channel],
    )


def transcript(messages: list[StoredMessage]) -> list[TranscriptEntry]:
    """Every message with its author (and agent name) and time, oldest first."""
    return [
        TranscriptEntry(
            message_id=m.message_id,
            author=m.author.value,
            agent_name=(m.agent or {}).get("name"),
            text=m.text,
            created_at=m.created_at,
            status=m.status,
            attachments=m.attachments,
        )
        for m in messages
    ]


def attempted(messages: list[StoredMessage]) -> Attempted:
    """Tools the AI called with their results, and discounts it applied, from its stored replies."""
    replies = [m for m in messages if m.author is Author.AI]
    tools = [
        ToolAttempt(
            name=t["name"],
            arguments=t.get("arguments") or {},
            result=t.get("result"),
            at=m.created_at,
        )
        for m in replies
        for t in m.tools
    ]
    discounts = [a for m in replies for a in m.actions if "discount" in str(a.get("type", ""))]
    discounts += [
        t.model_dump() for t in tools if t.name == "apply_discount" and _succeeded(t.result)
    ]
    return Attempted(tools=tools, discounts_applied=discounts)


def _succeeded(result: Any) -> bool:
    return not (isinstance(result, dict) and result.get("error"))


def fit(packet: EscalationPacket) -> EscalationPacket:
    """Drop the oldest transcript entries until the packet fits one SQS message."""
    while len(packet.model_dump_json()) > MAX_PACKET_BYTES and len(packet.transcript) > 1:
        packet.transcript = packet.transcript[len(packet.transcript) // 4 or 1 :]
        packet.transcript_truncated = True
    return packet


def _summary(conversation: Conversation) -> str:
    """What the customer said last, when the AI gave no summary."""
    said = [m.text for m in conversation.messages if m.author is Author.CUSTOMER][-3:]
    return "The customer wrote: " + " / ".join(said) if said else ""


def _next_step(reasons: list[PacketReason]) -> str:
    codes = [r.code for r in reasons]
    found = next((NEXT_STEPS[c] for c in codes if c in NEXT_STEPS), None)
    return found or "Read the transcript, answer the customer's request and resolve when done."
