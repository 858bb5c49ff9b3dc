"""The helpdesk API's use cases: read a conversation, reply as a human, resolve, release."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.errors import BadRequestError, ConflictError, NotFoundError, TransientError
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import Author, iso, utcnow
from chalicelib.handoff.escalation import HelpdeskQueue
from chalicelib.handoff.packet import transcript
from chalicelib.handoff.snapshot import customer_snapshot
from chalicelib.outbox.sending import Outbox
from chalicelib.runtime.observability import logger
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.customers import CustomerRepository
from chalicelib.store.transcript_pages import TranscriptPage

MAX_REPLY_CHARS = 4000
PAGE = 100  # transcript messages a GET answers with unless `limit` says otherwise
MAX_PAGE = 500
MAX_AGENT_FIELD = 200


class Helpdesk:
    """What support agents do to a conversation through the API."""

    def __init__(
        self,
        conversations: ConversationRepository,
        customers: CustomerRepository,
        outbox: Outbox,
        queue: HelpdeskQueue,
        on_resolved: Callable[[str], object] | None = None,
    ) -> None:
        self.conversations = conversations
        self.customers = customers
        self.outbox = outbox
        self.queue = queue
        self.on_resolved = on_resolved

    def view(self, conversation_id: str, query: dict[str, str] | None = None) -> dict[str, Any]:
        """State, channel, the customer's snapshot, the summary and a page of the transcript.

        Without `limit` or `cursor` the whole transcript (as the contract has it); with either,
        it pages from the first message, `limit` at a time, and `next_cursor` (None on the last
        page) continues after this page.
        """
        query = query or {}
        cursor, limit = transcript_params(query)
        conversation = self._meta(conversation_id)
        if "limit" in query or "cursor" in query:
            page = self.conversations.page(conversation_id, cursor, limit)
        else:
            page = self._whole(conversation_id)
        customer_id = conversation.customer_id
        bundle = self.customers.load(customer_id) if customer_id else CustomerBundle(customer_id="")
        return {
            "conversation_id": conversation.conversation_id,
            "state": conversation.state.value,
            "channel": conversation.channel.value,
            "verified": conversation.verified,
            "created_at": conversation.created_at,
            "updated_at": conversation.updated_at,
            "escalation_id": conversation.meta.get("escalation_id"),
            "respond_by": conversation.meta.get("respond_by"),
            "customer": customer_snapshot(conversation, bundle, utcnow()).model_dump(mode="json"),
            "summary": {k: v for k, v in conversation.summary.items() if k != "seen"},
            "transcript": [e.model_dump(mode="json") for e in transcript(page.messages)],
            "next_cursor": page.next_cursor,
        }

    def _whole(self, conversation_id: str) -> TranscriptPage:
        """Every message, read a page at a time."""
        page = self.conversations.page(conversation_id, None, MAX_PAGE)
        messages = list(page.messages)
        while page.next_cursor:
            page = self.conversations.page(conversation_id, page.next_cursor, MAX_PAGE)
            messages += page.messages
        return TranscriptPage(messages, None)

    def reply(self, conversation_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Take the conversation over and send the reply on the customer's channel (outbox)."""
        text, agent = reply_text(body), agent_of(body, required=True)
        conversation = self._load(conversation_id)
        any_state = {Ownership.AI, Ownership.HUMAN, Ownership.RESOLVED}
        self.conversations.set_state(conversation_id, Ownership.HUMAN, any_state)
        message = StoredMessage(
            message_id=f"h_{uuid.uuid4().hex[:24]}",
            author=Author.HUMAN,
            text=text,
            created_at=iso(utcnow()),
            status="pending",
            agent=agent,
            in_reply_to=[m.message_id for m in conversation.unanswered()],
        )
        if not self.conversations.add_message(conversation_id, message, Ownership.HUMAN):
            raise ConflictError("the conversation changed hands while replying: reload, try again")
        conversation.state = Ownership.HUMAN
        status = self._deliver(conversation, message)
        return {"message_id": message.message_id, "status": status, "state": "human"}

    def _deliver(self, conversation: Conversation, message: StoredMessage) -> str:
        """Send through the outbox; a transient failure leaves it pending for the next delivery."""
        try:
            return self.outbox.deliver(conversation, message)
        except TransientError:
            logger.warning("human reply not sent yet, left pending")
            return "pending"

    def resolve(self, conversation_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Close the conversation (from ai or human) and tell the helpdesk queue."""
        agent = agent_of(body, required=False)
        conversation = self._meta(conversation_id)
        open_states = {Ownership.AI, Ownership.HUMAN}
        if not self.conversations.set_state(conversation_id, Ownership.RESOLVED, open_states):
            raise ConflictError("the conversation is already resolved")
        now = iso(utcnow())
        data = {
            "conversation_id": conversation_id,
            "escalation_id": conversation.meta.get("escalation_id"),
            "resolved_at": now,
            "resolved_by": agent,
        }
        self.queue.publish("conversation.resolved", data, f"resolved:{conversation_id}:{now}")
        if self.on_resolved:  # metric facts, then the CSAT question
            self.on_resolved(conversation_id)
        return {"conversation_id": conversation_id, "state": "resolved"}

    def release(self, conversation_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Hand a human-owned conversation back to the AI."""
        agent_of(body, required=False)
        conversation = self._meta(conversation_id)
        if not self.conversations.set_state(conversation_id, Ownership.AI, {Ownership.HUMAN}):
            state = (self.conversations.load_meta(conversation_id) or conversation).state.value
            raise ConflictError(f"only a human-owned conversation can be released; it is {state}")
        return {"conversation_id": conversation_id, "state": "ai"}

    def _load(self, conversation_id: str) -> Conversation:
        found = self.conversations.load(conversation_id)
        if found is None:
            raise NotFoundError(f"no conversation {conversation_id}")
        return found

    def _meta(self, conversation_id: str) -> Conversation:
        found = self.conversations.load_meta(conversation_id)
        if found is None:
            raise NotFoundError(f"no conversation {conversation_id}")
        return found


def transcript_params(query: dict[str, str]) -> tuple[str | None, int]:
    """`cursor` (as a page's `next_cursor` gave it) and `limit` (1 to MAX_PAGE) of a transcript."""
    raw = query.get("limit")
    if raw is not None and not (raw.isdigit() and 1 <= int(raw) <= MAX_PAGE):
        raise BadRequestError(f"limit must be a number from 1 to {MAX_PAGE}", field="limit")
    return query.get("cursor") or None, int(raw) if raw else PAGE


def reply_text(body: dict[str, Any]) -> str:
    """The reply's text: a non-empty string of at most MAX_REPLY_CHARS."""
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRequestError("text must be a non-empty string", field="text")
    if len(text) > MAX_REPLY_CHARS:
        raise BadRequestError(f"text must be at most {MAX_REPLY_CHARS} characters", field="text")
    return text.strip()


def agent_of(body: dict[str, Any], required: bool) -> dict[str, str] | None:
    """The support agent `{"id", "name"}` of the body; 400 naming the field that is wrong."""
    agent = body.get("agent")
    if agent is None and not required:
        return None
    if not isinstance(agent, dict):
        raise BadRequestError('agent must be an object {"id", "name"}', field="agent")
    found = {}
    for key in ("id", "name"):
        value = agent.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_AGENT_FIELD:
            raise BadRequestError(
                f"agent.{key} must be a non-empty string of at most {MAX_AGENT_FIELD} characters",
                field=f"agent.{key}",
            )
        found[key] = value.strip()
    return found
