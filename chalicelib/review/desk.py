"""The review API's use cases: queues, feedback, misses, scenarios, metrics and the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.errors import BadRequestError, ConflictError, NotFoundError
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import Author, iso
from chalicelib.review import params
from chalicelib.review.facts import FLAGS, flag_conversation
from chalicelib.review.feedback import build_feedback, reviewer_of
from chalicelib.review.metrics import metrics_report
from chalicelib.review.misses import misses_report
from chalicelib.review.scenario import build_scenario, scenario_yaml
from chalicelib.store import keys
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.customers import CustomerRepository
from chalicelib.store.review import ReviewRepository

# Messages a review queue item shows the AI replies of: the recent part of a long conversation.
QUEUE_MESSAGES = 50


class ReviewDesk:
    """What reviewers do: read flagged conversations, report misses, export them, measure."""

    def __init__(
        self,
        conversations: ConversationRepository,
        customers: CustomerRepository,
        reviews: ReviewRepository,
    ) -> None:
        self.conversations = conversations
        self.customers = customers
        self.reviews = reviews

    def queue(self, query: dict[str, str]) -> dict[str, Any]:
        """One page of flagged conversations, newest first (`flag`, `since`, `limit`, `cursor`)."""
        flag = query.get("flag") or ""
        if flag not in FLAGS:
            raise BadRequestError(f"flag must be one of {', '.join(FLAGS)}", field="flag")
        start = params.decode_cursor(query, keys.flag_gsi(flag))
        since, limit = params.since_param(query, 365), params.limit_param(query)
        found, last = self.reviews.flagged(flag, since, limit, start)
        items = [self._queue_item(item) for item in found]
        return {"flag": flag, "conversations": items, "next": params.encode_cursor(last)}

    def sample(self, query: dict[str, str]) -> dict[str, Any]:
        """AI-handled conversations nobody flagged, newest first or at random (`random`, `seed`)."""
        from chalicelib.review.sample import random_param, unflagged_ai, window_of

        since, until = window_of(query)
        chosen = unflagged_ai(self.started(since, until), self.reviews, query)
        items = [self._queue_item({"conversation_id": cid}) for cid in chosen]
        return {"random": random_param(query), "since": since, "conversations": items}

    def _queue_item(self, flag_item: dict[str, Any]) -> dict[str, Any]:
        """A flagged conversation with the AI's replies among its last QUEUE_MESSAGES messages."""
        cid = str(flag_item["conversation_id"])
        conversation = self.conversations.load_recent(cid, last=QUEUE_MESSAGES)
        if conversation is None:
            raise NotFoundError(f"no conversation {cid}")
        facts = self.reviews.facts(conversation.conversation_id) or {}
        return {
            "conversation_id": conversation.conversation_id,
            "flagged_at": flag_item.get("flagged_at"),
            "state": conversation.state.value,
            "channel": conversation.channel.value,
            "created_at": conversation.created_at,
            "customer": self._customer(conversation),
            "reasons": facts.get("escalation_reasons") or [],
            "csat": facts.get("csat"),
            "ai_messages": [_ai_message(m) for m in conversation.messages if _is_ai_reply(m)],
            # Older replies: GET /conversations/{id} pages through the whole transcript.
            "earlier_messages": conversation.earlier,
        }

    def transcript(self, conversation_id: str) -> dict[str, Any]:
        """One conversation as a reviewer reads it: every message, and what the AI did in each."""
        conversation = self._load(conversation_id)
        facts = self.reviews.facts(conversation.conversation_id) or {}
        return {
            "conversation_id": conversation.conversation_id,
            "state": conversation.state.value,
            "channel": conversation.channel.value,
            "created_at": conversation.created_at,
            "customer": self._customer(conversation),
            "reasons": facts.get("escalation_reasons") or [],
            "messages": [_transcript_message(m) for m in conversation.messages],
        }

    def _customer(self, conversation: Conversation) -> dict[str, Any]:
        if not conversation.customer_id:
            return {"customer_id": None, "verified": conversation.verified}
        profile = self.customers.load(conversation.customer_id).profile
        return {
            "customer_id": conversation.customer_id,
            "verified": conversation.verified,
            "first_name": profile.get("first_name"),
            "loyalty_tier": profile.get("loyalty_tier"),
        }

    def feedback(
        self, conversation_id: str, body: dict[str, Any], reviewer: str | None
    ) -> dict[str, Any]:
        """Store a reviewer's feedback on one reply and flag the conversation `feedback`."""
        conversation = self._load(conversation_id)
        item = build_feedback(conversation, body, reviewer_of(body, reviewer))
        self.reviews.add_feedback(conversation_id, item)
        flag_conversation(self.reviews, conversation_id, "feedback", category=item["category"])
        return item

    def misses(self, query: dict[str, str]) -> dict[str, Any]:
        """Feedback since `since`, grouped by category, intent and source."""
        since = params.since_param(query)
        return misses_report(self.reviews.feedback_since(since), since)

    def scenario(self, conversation_id: str, body: dict[str, Any]) -> str:
        """The conversation and its latest correct answer (or `message_id`'s) as scenario YAML."""
        conversation = self._load(conversation_id)
        feedback = self._feedback_for(conversation_id, body.get("message_id"))
        reviewed = conversation.message(str(feedback["message_id"]))
        if reviewed is None:
            raise NotFoundError(f"no message {feedback['message_id']} in this conversation")
        bundle = self._bundle(conversation)
        return scenario_yaml(
            build_scenario(conversation, bundle, feedback, reviewed), conversation_id
        )

    def _feedback_for(self, conversation_id: str, message_id: Any) -> dict[str, Any]:
        given = [f for f in self.reviews.feedback_of(conversation_id) if f.get("correct_answer")]
        if message_id is not None:
            given = [f for f in given if f["message_id"] == message_id]
        if not given:
            raise ConflictError("no feedback with a correct_answer on this conversation yet")
        return given[-1]

    def _bundle(self, conversation: Conversation) -> CustomerBundle:
        customer_id = conversation.customer_id
        return self.customers.load(customer_id) if customer_id else CustomerBundle(customer_id="")

    def metrics(self, query: dict[str, str]) -> dict[str, Any]:
        """The same metrics for AI-alone and human-involved conversations started in the window."""
        since, until = params.window(query)
        return metrics_report(self.started(iso(since), iso(until)), iso(since), iso(until))

    def started(self, since: str, until: str) -> list[dict[str, Any]]:
        """The facts of conversations started in [since, until): one GSI2 Query per UTC day."""
        day, last = since[:10], until[:10]
        found: list[dict[str, Any]] = []
        while day <= last:
            found += [f for f in self.reviews.started(day, since, until) if f["created_at"] < until]
            day = _next_day(day)
        return found

    def _load(self, conversation_id: str) -> Conversation:
        found = self.conversations.load(conversation_id)
        if found is None:
            raise NotFoundError(f"no conversation {conversation_id}")
        return found


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _is_ai_reply(message: StoredMessage) -> bool:
    return message.author is Author.AI and message.meta.get("kind") != "csat"


def _ai_message(message: StoredMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "text": message.text,
        "created_at": message.created_at,
        "intent": message.meta.get("intent"),
        "fallback": bool(message.meta.get("fallback")),
        "tools": message.tools,
        "sources": message.sources,
    }


def _transcript_message(message: StoredMessage) -> dict[str, Any]:
    """A message with the AI's tools, actions and escalation codes (none for other authors)."""
    escalation = message.meta.get("escalation") or {}
    return {
        "message_id": message.message_id,
        "author": message.author.value,
        "created_at": message.created_at,
        "text": message.text,
        "tools": [str(tool.get("name")) for tool in message.tools],
        "actions": [str(action.get("type")) for action in message.actions],
        "escalation": [str(r.get("code")) for r in escalation.get("reasons", [])],
    }
