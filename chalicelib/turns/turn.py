"""One agent turn for a queued inbound message: resolve, store, answer once, deliver."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.agent.base import Agent, Escalation, Reason, TurnContext, TurnResult
from chalicelib.agent.dialogue import fold_summary
from chalicelib.agent.tools import ToolBox
from chalicelib.commerce.identity import SenderResolver
from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.messages import Author, InboundMessage, iso, utcnow
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.outbox.sending import Outbox
from chalicelib.runtime.observability import logger
from chalicelib.store.conversations import ConversationRepository, TurnWrite
from chalicelib.store.customers import CustomerRepository, thread_item
from chalicelib.store.keys import message_sk

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
        self.resolver = SenderResolver(customers)

    def handle(self, body: dict[str, Any]) -> None:
        """Process one inbound queue record (idempotent: safe to redeliver)."""
        self.handle_group([body])

    def handle_group(self, bodies: list[dict[str, Any]]) -> None:
        """Process consecutive records of one conversation as one turn, answered once.

        A plain AI turn writes once: the customer's messages, the reply (claimed for its send)
        and the conversation's facts go to the table together after the agent answered. Any
        other path (keywords, CSAT, reopening, a human owner) stores the messages first.
        """
        inbound = [InboundMessage.model_validate(body["inbound"]) for body in bodies]
        self.outbox.warm(inbound[0].channel)  # a cold sender loads while the turn reads
        warm_agent = getattr(self.agent, "warm", None)  # the openai client, likewise
        if warm_agent is not None:
            warm_agent()
        bundle = self.resolver.load(inbound[0])
        if self.keywords:
            self.keywords.mark(inbound, bundle)
        write = self._conversation(inbound[0], bundle)
        conversation = write.conversation
        logger.append_keys(conversation_id=conversation.conversation_id)
        for message, body in zip(inbound, bodies, strict=True):
            self._stage_inbound(write, message, body["message_id"])
        self._keep_reply_thread(write, inbound[-1])
        self._note_customer_time(write, inbound)
        keywords = any(message.meta.get("keyword") for message in inbound)
        if self.keywords and keywords:
            self._store(write)
            self.keywords.apply(conversation, [b["message_id"] for b in bodies])
        conversation.verified = conversation.verified and all(m.verified for m in inbound)
        unfinished = self._unfinished_handoff(conversation)
        if conversation.state is not Ownership.AI or unfinished:
            self._store(write)
        if self.review and self.review.capture_csat(conversation):
            return
        if conversation.state is Ownership.RESOLVED:
            self._reopen(conversation)
        if self.handoff and unfinished:
            escalation, trigger = unfinished
            self.handoff(conversation, bundle, TurnResult("", escalation=escalation), trigger)
        reply = self._answer(write, bundle) if conversation.state is Ownership.AI else None
        self._store(write)
        if conversation.state is Ownership.HUMAN:
            self._forward(conversation, bundle)
        # The opt-out read with the profile holds for this turn's sends, unless a keyword
        # changed it (a STOP in this very turn): then the outbox reads it again.
        profile = None if keywords else bundle.profile
        self._deliver_unsent(conversation, reply, profile)

    def _conversation(self, inbound: InboundMessage, bundle: CustomerBundle) -> TurnWrite:
        """The conversation this message belongs to (a new one is stored with the turn)."""
        thread = f"{inbound.channel.value}#{inbound.sender}"
        conversation_id = inbound.conversation_id or bundle.threads.get(thread)
        found = self.conversations.load_recent(conversation_id) if conversation_id else None
        if found:
            return TurnWrite(found)
        conversation = Conversation(
            conversation_id=conversation_id or thread_conversation_id(bundle.customer_id, thread),
            channel=inbound.channel,
            address=inbound.sender,
            customer_id=bundle.customer_id,
            verified=inbound.verified,
            created_at=iso(utcnow()),
        )
        write = TurnWrite(conversation, new=True)
        if not inbound.conversation_id:
            # Also after a turn that created it and failed before this: the thread must point here.
            channel, address = inbound.channel.value, inbound.sender
            cid = conversation.conversation_id
            write.thread = thread_item(bundle.customer_id, channel, address, cid)
        return write

    def _store(self, write: TurnWrite) -> None:
        """Write what the turn gathered so far (once; each piece on its own after a conflict)."""
        if not write:
            return
        if not self.conversations.commit(write):
            self._store_apart(write)
        write.clear()

    def _store_apart(self, write: TurnWrite) -> None:
        """The turn's writes one by one, each idempotent: another delivery wrote some first."""
        conversation = write.conversation
        cid = conversation.conversation_id
        if write.new and not self.conversations.create(conversation):
            stored = self.conversations.load_recent(cid) or conversation
            conversation.state, conversation.meta = stored.state, stored.meta
        if write.thread:
            self.customers.put_thread(write.thread)
        for message in write.messages:
            if not self.conversations.add_message(cid, message):
                logger.info("message already stored by another delivery")
        if write.meta:
            self.conversations.update_meta(cid, **write.meta)

    def _stage_inbound(self, write: TurnWrite, inbound: InboundMessage, message_id: str) -> None:
        """Add the customer's message to the transcript once (stored with the turn's writes)."""
        conversation = write.conversation
        if conversation.message(message_id):
            return
        message = StoredMessage(
            message_id=message_id,
            author=Author.CUSTOMER,
            text=inbound.text,
            created_at=iso(inbound.received_at),
            attachments=[a.model_dump(mode="json") for a in inbound.attachments],
            meta=inbound.meta,
        )
        message.sk = message_sk(message.created_at, message.message_id)
        write.messages.append(message)
        conversation.messages.append(message)
        conversation.messages.sort(key=lambda m: m.sk)

    def _keep_reply_thread(self, write: TurnWrite, inbound: InboundMessage) -> None:
        """Keep on the conversation what replies need to thread (email: subject, Message-IDs)."""
        conversation = write.conversation
        thread = inbound.meta.get("reply_thread")
        if not thread or all(conversation.meta.get(k) == v for k, v in thread.items()):
            return
        conversation.meta.update(thread)
        write.meta["meta"] = conversation.meta

    def _note_customer_time(self, write: TurnWrite, inbound: list[InboundMessage]) -> None:
        """Record when the customer last wrote (it opens WhatsApp's 24-hour window)."""
        conversation = write.conversation
        latest = max(iso(message.received_at) for message in inbound)
        if conversation.last_customer_at and conversation.last_customer_at >= latest:
            return
        write.meta["last_customer_at"] = conversation.last_customer_at = latest

    def _reopen(self, conversation: Conversation) -> None:
        """A customer writing on a resolved conversation reopens it for the AI."""
        if self.conversations.set_state(
            conversation.conversation_id, Ownership.AI, {Ownership.RESOLVED}
        ):
            self.conversations.update_meta(conversation.conversation_id, reopened_at=iso(utcnow()))
            if self.review:
                self.review.reopened(conversation)
        conversation.state = Ownership.AI

    def _answer(self, write: TurnWrite, bundle: CustomerBundle) -> StoredMessage | None:
        """Answer every unanswered customer message together, once: the reply, stored claimed."""
        conversation = write.conversation
        pending = conversation.unanswered()
        if not pending:
            return None
        tools = self.toolbox(bundle, conversation.verified, conversation)
        context = TurnContext(conversation, bundle, conversation.verified, pending, tools)
        try:
            result = self.agent.respond(context)
        except Exception:
            self._store(write)  # the customer's words are kept while the turn is retried
            raise
        reply = _reply_message(pending, result)
        reply = reply.model_copy(update=self.outbox.claim_fields())
        self._summarize(write, reply)
        # Stored only while the AI still owns it: a human who took over meanwhile wins.
        write.messages.append(reply)
        if not self.conversations.commit(write, Ownership.AI):
            write.messages.remove(reply)
            write.meta.pop("summary", None)  # folded again by the next turn
            self._store(write)
            if not self.conversations.add_message(
                conversation.conversation_id, reply, Ownership.AI
            ):
                fresh = self.conversations.load_recent(conversation.conversation_id) or conversation
                conversation.messages, conversation.state = fresh.messages, fresh.state
                return None
        write.clear()
        conversation.messages.append(reply)
        logger.info(
            "ai replied", extra={"intent": result.intent, "tools": [t.name for t in result.tools]}
        )
        try:
            if result.escalation and self.handoff:
                self.handoff(conversation, bundle, result, pending[-1])
            if result.escalation and self.review:
                self.review.escalated(conversation, result.escalation)
        except Exception:
            # Unclaimed, the stored reply goes out with the handoff the queue's retry finishes.
            self.conversations.release_message(conversation.conversation_id, reply.sk)
            raise
        return reply

    def _summarize(self, write: TurnWrite, reply: StoredMessage) -> None:
        """Fold the window and the reply into the summary on META, written with the reply."""
        conversation = write.conversation
        reply.sk = message_sk(reply.created_at, reply.message_id)
        folded = fold_summary(conversation.summary, [*conversation.messages, reply])
        write.meta["summary"] = conversation.summary = folded

    def _forward(self, conversation: Conversation, bundle: CustomerBundle) -> None:
        """While a human owns it: each customer message no one answered goes to the helpdesk."""
        for message in conversation.unanswered():
            if self.handoff and not message.forwarded_at:
                self.handoff(conversation, bundle, None, message)

    def _unfinished_handoff(
        self, conversation: Conversation
    ) -> tuple[Escalation, StoredMessage] | None:
        """An escalation a failed turn stored but did not hand off, and what triggered it.

        The turn finishes it (the handoff hook is idempotent).
        """
        last = next((m for m in reversed(conversation.messages) if m.author is Author.AI), None)
        stored = last.meta.get("escalation") if last else None
        trigger = conversation.message(last.in_reply_to[-1]) if last and last.in_reply_to else None
        if not (stored and trigger):
            return None
        escalation = Escalation(
            reasons=[Reason(**reason) for reason in stored["reasons"]],
            summary=stored.get("summary", ""),
            suggested_next_step=stored.get("suggested_next_step", ""),
        )
        return escalation, trigger

    def _deliver_unsent(
        self,
        conversation: Conversation,
        reply: StoredMessage | None,
        profile: dict[str, Any] | None,
    ) -> None:
        """Send every recorded, unsent outbound message (after a crash too), then the reply."""
        for message in conversation.unsent(iso(utcnow())):
            self.outbox.deliver(conversation, message, profile=profile)
        if reply is not None:  # stored claimed by this turn: ours to send
            self.outbox.deliver(conversation, reply, claimed=True, profile=profile)


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
        meta={
            "intent": result.intent,
            "fallback": result.fallback,
            **({"offer": result.offer} if result.offer else {}),
            **_escalation_meta(result),
        },
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
