"""Escalation and ownership: the agent worker's HandoffHook and the helpdesk queue's events."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.agent.base import Escalation, TurnResult
from chalicelib.config.store_sections import PriorityRules
from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.escalations import HelpdeskEventType, PacketReason
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.handoff.packet import Escalating, build_packet, transcript
from chalicelib.runtime.observability import logger
from chalicelib.runtime.queues import FifoQueue
from chalicelib.runtime.retry import retried
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.escalations import EscalationRepository


def escalation_id_for(conversation_id: str, trigger_message_id: str) -> str:
    """A stable id from the message that triggered it: a redelivered turn finds the same one."""
    digest = hashlib.sha256(f"{conversation_id}:{trigger_message_id}".encode()).hexdigest()
    return f"esc_{digest[:24]}"


class HelpdeskQueue:
    """The helpdesk FIFO queue: `{"type", "data"}` events, one group per conversation."""

    def __init__(self, queue: FifoQueue) -> None:
        self.queue = queue

    def publish(self, kind: HelpdeskEventType, data: dict[str, Any], dedupe_id: str) -> None:
        """Send one event; SQS drops a repeat of `dedupe_id` within five minutes."""
        body = {"type": kind, "data": data}
        self.queue.send(body, group=data["conversation_id"], dedupe_id=dedupe_id)


@dataclass(frozen=True)
class HandoffPolicy:
    """The store's promise and priorities, and where the helpdesk API is."""

    sla_seconds: int
    priority: PriorityRules
    api_base_url: str


class Handoff:
    """The HandoffHook: escalates once per trigger, and forwards messages while a human owns."""

    def __init__(
        self,
        conversations: ConversationRepository,
        escalations: EscalationRepository,
        queue: HelpdeskQueue,
        policy: HandoffPolicy,
    ) -> None:
        self.conversations = conversations
        self.escalations = escalations
        self.queue = queue
        self.policy = policy

    def __call__(
        self,
        conversation: Conversation,
        bundle: CustomerBundle,
        result: TurnResult | None,
        message: StoredMessage,
    ) -> None:
        """Escalate when the turn decided so; otherwise hand the customer's message to the human."""
        if result is None:
            self.forward(conversation, message)
        elif result.escalation:
            self.escalate(conversation, bundle, result.escalation, message)

    def escalate(
        self,
        conversation: Conversation,
        bundle: CustomerBundle,
        escalation: Escalation,
        trigger: StoredMessage,
    ) -> None:
        """ai -> human with the packet recorded, then queued: exactly once per trigger message."""
        escalation_id = escalation_id_for(conversation.conversation_id, trigger.message_id)
        if conversation.meta.get("handoff_done") == escalation_id:
            return
        record = self.escalations.get(conversation.conversation_id, escalation_id)
        if record is None:
            record = self._open(conversation, bundle, escalation, escalation_id)
        if record is None:
            logger.info("escalation superseded: someone else owns the conversation")
            self.escalations.mark_done(conversation.conversation_id, escalation_id, "superseded")
            return
        if record.get("status") != "sent":
            self.queue.publish("escalation.created", record["packet"], escalation_id)
        # Retried here: a retry of the turn would queue the packet again (the queue's own
        # deduplication lasts 5 minutes, the inbound queue's visibility 12).
        retried(lambda: self.escalations.mark_done(conversation.conversation_id, escalation_id))
        logger.info("escalated", extra={"escalation_id": escalation_id})
        conversation.state = Ownership.HUMAN
        conversation.meta.update(
            escalation_id=escalation_id,
            respond_by=record["packet"]["respond_by"],
            handoff_done=escalation_id,
        )

    def _open(
        self,
        conversation: Conversation,
        bundle: CustomerBundle,
        escalation: Escalation,
        escalation_id: str,
    ) -> dict[str, Any] | None:
        """Build the packet and take ownership with it; the record another worker wrote, or None."""
        now = utcnow()
        reasons = [PacketReason(code=r.code, evidence=r.evidence) for r in escalation.reasons]
        tier = bundle.profile.get("loyalty_tier")
        decided = Escalating(
            escalation_id=escalation_id,
            reasons=reasons,
            priority=self.policy.priority.priority_for([r.code for r in reasons], tier),
            respond_by=iso(now + timedelta(seconds=self.policy.sla_seconds)),
            summary=escalation.summary,
            suggested_next_step=escalation.suggested_next_step,
        )
        packet = build_packet(conversation, bundle, decided, self.policy.api_base_url, now)
        body = packet.model_dump(mode="json")
        if self.escalations.open(body):
            return {"packet": body, "status": "pending"}
        return self.escalations.get(conversation.conversation_id, escalation_id)

    def forward(self, conversation: Conversation, message: StoredMessage) -> None:
        """A customer message while a human owns the conversation -> the helpdesk queue, once."""
        if message.forwarded_at:
            return
        data = {
            "conversation_id": conversation.conversation_id,
            "escalation_id": conversation.meta.get("escalation_id"),
            "channel": conversation.channel.value,
            "respond_by": conversation.meta.get("respond_by"),
            "message": transcript([message])[0].model_dump(mode="json"),
        }
        self.queue.publish("conversation.customer_message", data, message.message_id)
        message.forwarded_at = iso(utcnow())
        retried(
            lambda: self.conversations.update_message(
                conversation.conversation_id, message.sk, forwarded_at=message.forwarded_at
            )
        )
