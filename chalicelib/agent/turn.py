"""One agent turn for a queued inbound message: resolve, store, answer once, deliver."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.agent.base import Agent, Escalation, Reason, TurnContext, TurnResult
from chalicelib.agent.tools import ToolBox
from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.messages import Author, InboundMessage, iso, utcnow
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.identity import resolve_sender
from chalicelib.observability import logger
from chalicelib.outbox import Outbox
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.customers import CustomerRepository

if TYPE_CHECKING:
    from chalicelib.review.hooks import ReviewHooks

# Called when a turn decides to escalate, or a message arrives on a human-owned conversation.
HandoffHook = Callable[[Conversation, CustomerBundle, TurnResult | None, StoredMessage], None]


class KeywordHook(Protocol):
    """Compliance keywords (STOP, START, HELP): marked before storing, acted on after."""

    def mark(self, inbound: list[InboundMessage], bundle: CustomerBundle) -> None:
        """Set `meta.keyword` on keyword messages so the agent leaves them alone."""
        ...

    def apply(self, conversation: Conversation, message_ids: list[str]) -> None:
        """Record consent changes and send the fixed answers of the stored keyword messages."""
        ...


class TurnRunner:
    """Handles inbound turns from the inbound queue."""

    def __init__(
        self,
        customers: CustomerRepository,
        conversations: ConversationRepository,
        agent: Agent,
        outbox: Outbox,
        toolbox: Callable[[CustomerBundle, bool, Conversation], ToolBox] | None = None,
        handoff: HandoffHook | None = None,
        keywords: KeywordHook | None = None,
        review: ReviewHooks | None = None,
    ) -> None:
        self.customers = customers
        self.conversations = conversations
        self.agent = agent
        self.outbox = outbox
        self.toolbox = toolbox or (lambda bundle, verified, _conv: ToolBox(bundle, verified))
        self.handoff = handoff
        self.keywords = keywords
        self.review = review

    def handle(self, body: dict[str, Any]) -> None:
        """Process one inbound queue record (idempotent: safe to redeliver)."""
        self.handle_group([body])

    def handle_group(self, bodies: list[dict[str, Any]]) -> None:
        """Process consecutive records of one conversation as one turn, answered once."""
        inbound = [InboundMessage.model_validate(body["inbound"]) for body in bodies]
        customer_id = resolve_sender(self.customers, inbound[0])
        bundle = self.customers.load(customer_id)
        if self.keywords:
            self.keywords.mark(inbound, bundle)
        conversation = self._conversation(inbound[0], bundle)
        logger.append_keys(conversation_id=conversation.conversation_id)
        for message, body in zip(inbound, bodies, strict=True):
            self._store_inbound(conversation, message, body["message_id"])
        self._keep_reply_thread(conversation, inbound[-1])
        self._note_customer_time(conversation, inbound)
        if self.keywords:
            self.keywords.apply(conversation, [b["message_id"] for b in bodies])
        conversation.verified = conversation.verified and all(m.verified for m in inbound)
        if self.review and self.review.capture_csat(conversation):
            return
        if conversation.state is Ownership.RESOLVED:
            self._reopen(conversation)
        self._resume_handoff(conversation, bundle)
        if conversation.state is Ownership.AI:
            self._answer(conversation, bundle)
        if conversation.state is Ownership.HUMAN:
            self._forward(conversation, bundle)
        self._deliver_unsent(conversation)

    def _conversation(self, inbound: InboundMessage, bundle: CustomerBundle) -> Conversation:
        """The conversation this message belongs to, created when new."""
        thread = f"{inbound.channel.value}#{inbound.sender}"
        conversation_id = inbound.conversation_id or bundle.threads.get(thread)
        found = self.conversations.load(conversation_id) if conversation_id else None
        if found:
            return found
        conversation = Conversation(
            conversation_id=conversation_id or thread_conversation_id(bundle.customer_id, thread),
            channel=inbound.channel,
            address=inbound.sender,
            customer_id=bundle.customer_id,
            verified=inbound.verified,
            created_at=iso(utcnow()),
        )
        if not self.conversations.create(conversation):
            conversation = self.conversations.load(conversation.conversation_id) or conversation
        if not inbound.conversation_id:
            # Also after a turn that created it and failed before this: the thread must point here.
            channel, address = inbound.channel.value, inbound.sender
            self.customers.set_thread(
                bundle.customer_id, channel, address, conversation.conversation_id
            )
        return conversation

    def _store_inbound(
        self, conversation: Conversation, inbound: InboundMessage, message_id: str
    ) -> StoredMessage | None:
        """Add the customer's message to the transcript once; None when it was already there."""
        if conversation.message(message_id):
            return None
        message = StoredMessage(
            message_id=message_id,
            author=Author.CUSTOMER,
            text=inbound.text,
            created_at=iso(inbound.received_at),
            attachments=[a.model_dump(mode="json") for a in inbound.attachments],
            meta=inbound.meta,
        )
        stored = self.conversations.add_message(conversation.conversation_id, message)
        conversation.messages.append(message)
        conversation.messages.sort(key=lambda m: m.sk)
        return message if stored else None

    def _keep_reply_thread(self, conversation: Conversation, inbound: InboundMessage) -> None:
        """Keep on the conversation what replies need to thread (email: subject, Message-IDs)."""
        thread = inbound.meta.get("reply_thread")
        if not thread or all(conversation.meta.get(k) == v for k, v in thread.items()):
            return
        conversation.meta.update(thread)
        self.conversations.update_meta(conversation.conversation_id, meta=conversation.meta)

    def _note_customer_time(
        self, conversation: Conversation, inbound: list[InboundMessage]
    ) -> None:
        """Record when the customer last wrote (it opens WhatsApp's 24-hour window)."""
        latest = max(iso(message.received_at) for message in inbound)
        if conversation.last_customer_at and conversation.last_customer_at >= latest:
            return
        self.conversations.update_meta(conversation.conversation_id, last_customer_at=latest)
        conversation.last_customer_at = latest

    def _reopen(self, conversation: Conversation) -> None:
        """A customer writing on a resolved conversation reopens it for the AI."""
        if self.conversations.set_state(
            conversation.conversation_id, Ownership.AI, {Ownership.RESOLVED}
        ):
            self.conversations.update_meta(conversation.conversation_id, reopened_at=iso(utcnow()))
            if self.review:
                self.review.reopened(conversation)
        conversation.state = Ownership.AI

    def _answer(self, conversation: Conversation, bundle: CustomerBundle) -> None:
        """Answer every unanswered customer message together, once."""
        pending = conversation.unanswered()
        if not pending:
            return
        tools = self.toolbox(bundle, conversation.verified, conversation)
        context = TurnContext(conversation, bundle, conversation.verified, pending, tools)
        result = self.agent.respond(context)
        reply = _reply_message(pending, result)
        # Stored only while the AI still owns it: a human who took over meanwhile wins.
        if not self.conversations.add_message(conversation.conversation_id, reply, Ownership.AI):
            fresh = self.conversations.load(conversation.conversation_id) or conversation
            conversation.messages, conversation.state = fresh.messages, fresh.state
            return
        conversation.messages.append(reply)
        logger.info(
            "ai replied", extra={"intent": result.intent, "tools": [t.name for t in result.tools]}
        )
        if result.escalation and self.handoff:
            self.handoff(conversation, bundle, result, pending[-1])
        if result.escalation and self.review:
            self.review.escalated(conversation, result.escalation)

    def _forward(self, conversation: Conversation, bundle: CustomerBundle) -> None:
        """While a human owns it: each customer message no one answered goes to the helpdesk."""
        for message in conversation.unanswered():
            if self.handoff and not message.forwarded_at:
                self.handoff(conversation, bundle, None, message)

    def _resume_handoff(self, conversation: Conversation, bundle: CustomerBundle) -> None:
        """Finish an escalation a failed turn stored but did not hand off (the hook is idempotent)."""
        last = next((m for m in reversed(conversation.messages) if m.author is Author.AI), None)
        stored = last.meta.get("escalation") if last else None
        trigger = conversation.message(last.in_reply_to[-1]) if last and last.in_reply_to else None
        if self.handoff and stored and trigger:
            escalation = Escalation(
                reasons=[Reason(**reason) for reason in stored["reasons"]],
                summary=stored.get("summary", ""),
                suggested_next_step=stored.get("suggested_next_step", ""),
            )
            self.handoff(conversation, bundle, TurnResult("", escalation=escalation), trigger)

    def _deliver_unsent(self, conversation: Conversation) -> None:
        """Send every recorded, unsent outbound message (after a crash too)."""
        for message in conversation.unsent(iso(utcnow())):
            self.outbox.deliver(conversation, message)


def _reply_message(pending: list[StoredMessage], result: TurnResult) -> StoredMessage:
    """The AI's reply as stored: its id derives from what it answers, so a retry is a no-op."""
    return StoredMessage(
        message_id=f"{pending[-1].message_id}.r",
        author=Author.AI,
        text=result.reply,
        created_at=iso(utcnow()),
        status="pending",
        in_reply_to=[m.message_id for m in pending],
        tools=[
            {"name": t.name, "arguments": t.arguments, "result": t.result} for t in result.tools
        ],
        sources=result.sources,
        actions=result.actions,
        meta={"intent": result.intent, "fallback": result.fallback, **_escalation_meta(result)},
    )


def _escalation_meta(result: TurnResult) -> dict[str, Any]:
    """The escalation decision as recorded on the reply (reason codes, evidence, summary)."""
    if result.escalation is None:
        return {}
    decided = result.escalation
    reasons = [{"code": r.code, "evidence": r.evidence} for r in decided.reasons]
    return {
        "escalation": {
            "reasons": reasons,
            "summary": decided.summary,
            "suggested_next_step": decided.suggested_next_step,
        }
    }


def thread_conversation_id(customer_id: str, thread: str) -> str:
    """A new thread's conversation id: the same in concurrent first turns, so they share one."""
    digest = hashlib.sha256(f"{customer_id}|{thread}".encode()).hexdigest()
    return f"conv_{digest[:20]}"
