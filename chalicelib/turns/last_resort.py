"""A turn's last try failed too: a person takes the conversation, with why, and a holding reply is tried.

The inbound worker calls this on the last receive of a turn (`ApproximateReceiveCount` at the
queue's maxReceiveCount) instead of letting the customer's message rest unanswered in the
dead-letter queue. What it needs is the table (the stored customer message, the conversation) and
the helpdesk queue; when those fail too, it raises and the message goes to the DLQ whole, to be
re-driven (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.agent.base import Escalation, Reason
from chalicelib.commerce.identity import SenderResolver
from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.messages import Author, Channel, InboundMessage, iso, utcnow
from chalicelib.outbox.sending import Outbox
from chalicelib.runtime.observability import logger
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.customers import CustomerRepository

if TYPE_CHECKING:
    from chalicelib.handoff.escalation import Handoff

REASON = (
    "ai_unavailable"  # the contract's closest code: neither the AI nor its channel could answer
)
NEXT_STEP = "Answer the customer on their channel: the automatic reply could not be delivered."


class TurnNotStoredError(LookupError):
    """The customer's message is not in the table: nothing to escalate (the DLQ keeps it)."""


class LastResort:
    """Escalates a conversation whose turn failed on every try, and attempts a holding reply."""

    def __init__(
        self,
        customers: CustomerRepository,
        conversations: ConversationRepository,
        handoff: Handoff,
        outbox: Outbox,
        holding_text: Callable[[Channel], str],
    ) -> None:
        self.resolver = SenderResolver(customers)
        self.conversations = conversations
        self.handoff = handoff
        self.outbox = outbox
        self.holding_text = holding_text

    def __call__(self, bodies: list[dict[str, Any]], error: BaseException, tries: int) -> None:
        """Hand the turn of these queue records to a person; raises when it cannot."""
        inbound = [InboundMessage.model_validate(body["inbound"]) for body in bodies]
        bundle = self.resolver.load(inbound[0])
        conversation = self._conversation(inbound[0], bundle.threads)
        trigger = conversation.message(str(bodies[-1]["message_id"]))
        if trigger is None:
            raise TurnNotStoredError("the customer's message was never stored")
        self._give_up_unsent(conversation)
        if conversation.state is Ownership.AI:
            escalation = Escalation(
                reasons=[Reason(REASON, what_failed(error, tries))],
                summary=f"The customer wrote: {trigger.text[:300]}",
                suggested_next_step=NEXT_STEP,
            )
            self.handoff.escalate(conversation, bundle, escalation, trigger)
        else:  # a person owns it already: make sure they see the customer's words
            for message in conversation.unanswered():
                self.handoff.forward(conversation, message)
        self._holding_reply(conversation, trigger)
        logger.warning("turn failed on every try: handed to a person", extra={"tries": tries})

    def _conversation(self, inbound: InboundMessage, threads: dict[str, str]) -> Conversation:
        """The stored conversation of the turn (as the turn runner finds it)."""
        thread = f"{inbound.channel.value}#{inbound.sender}"
        conversation_id = inbound.conversation_id or threads.get(thread)
        found = self.conversations.load(conversation_id) if conversation_id else None
        if found is None:
            raise TurnNotStoredError("the conversation was never stored")
        return found

    def _give_up_unsent(self, conversation: Conversation) -> None:
        """Replies that never went out are recorded failed: no later turn sends them stale."""
        for message in conversation.unsent(iso(utcnow())):
            self.conversations.update_message(
                conversation.conversation_id, message.sk, status="failed", error_code="gave_up"
            )
            message.status = "failed"

    def _holding_reply(self, conversation: Conversation, trigger: StoredMessage) -> None:
        """Store and try to send 'a person will reply'; recorded failed when it cannot go."""
        holding = StoredMessage(
            message_id=f"{trigger.message_id}.h",
            author=Author.AI,
            text=self.holding_text(conversation.channel),
            created_at=iso(utcnow()),
            status="pending",
            in_reply_to=[trigger.message_id],
            meta={"holding": True, "intent": "holding"},
        )
        if not self.conversations.add_message(conversation.conversation_id, holding):
            return  # a previous attempt stored (and tried) it
        try:
            self.outbox.deliver(conversation, holding)
        except Exception as failure:  # the channel is down: the person answers when it is back
            logger.warning("holding reply not sent", extra={"error": type(failure).__name__})
            self.conversations.update_message(
                conversation.conversation_id, holding.sk, status="failed", error_code="gave_up"
            )


def what_failed(error: BaseException, tries: int) -> str:
    """The evidence: how often it was tried and the last error (its type and message)."""
    detail = " ".join(str(error).split())[:300]
    return f"every try failed ({tries} of {tries}); last error {type(error).__name__}: {detail}"
