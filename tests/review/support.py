"""A scripted agent, web-chat customers and the helpdesk moves the review tests need."""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.agent.base import Escalation, Reason, ToolCall, TurnContext, TurnResult
from chalicelib.domain.conversations import Ownership, StoredMessage
from chalicelib.domain.messages import Author, iso, utcnow
from dev.seed import identity_token
from tests.harness import Pipeline

HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}
STORE = {"X-Api-Key": "dev-store-key"}


class ScriptedAgent:
    """Answers by keyword, like a model would, with tools, sources and escalations recorded."""

    def respond(self, context: TurnContext) -> TurnResult:
        """The scripted answer to the customer's words."""
        text = context.text.lower()
        if "order" in text:
            lookup = ToolCall("lookup_orders", {}, {"orders": [{"order_number": "1001"}]})
            reply = "Your order #1001 has shipped with UPS."
            return TurnResult(reply, tools=[lookup], intent="order_status")
        if "return" in text:
            search = ToolCall("search_knowledge", {"query": "returns"}, {"articles": ["returns"]})
            reply = "You can return anything within 30 days for a refund."
            return TurnResult(reply, tools=[search], sources=["kb:returns"], intent="returns")
        if "human" in text or "broken" in text:
            code = "human_requested" if "human" in text else "damaged_item"
            escalation = Escalation([Reason(code, context.text)], summary="needs a person")
            return TurnResult("A person will reply soon.", escalation=escalation, intent=code)
        return TurnResult("Sorry, I did not get that.", fallback=True, intent="other")


class Shopper:
    """The demo shopper in one web-chat session (one conversation)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        token = identity_token(pipeline.env["CHAT_IDENTITY_SECRET"])
        opened = pipeline.post_json("/chat/sessions", {"identity_token": token}).json_body
        self.conversation_id = str(opened["session_id"])
        self.auth = {"Authorization": f"Bearer {opened['token']}"}

    def says(self, text: str) -> list[dict[str, Any]]:
        """Send a message, let the worker run, and return the transcript."""
        path = f"/chat/sessions/{self.conversation_id}/messages"
        assert self.pipeline.post_json(path, {"text": text}, self.auth).status_code == 202
        self.pipeline.drain()
        return list(self.pipeline.get(path, self.auth).json_body["messages"])


def human_replies(pipeline: Pipeline, conversation_id: str, text: str) -> None:
    """What the helpdesk reply does: the human owns the conversation and a reply is stored."""
    conversations = pipeline.services.conversations
    conversations.set_state(conversation_id, Ownership.HUMAN, {Ownership.AI, Ownership.HUMAN})
    reply = StoredMessage(
        message_id=f"h_{uuid.uuid4().hex[:12]}",
        author=Author.HUMAN,
        text=text,
        created_at=iso(utcnow()),
        status="sent",
        agent={"id": "a1", "name": "Sam"},
    )
    assert conversations.add_message(conversation_id, reply)


def resolve(pipeline: Pipeline, conversation_id: str) -> str:
    """What the helpdesk resolve does, plus the review glue; returns the resolution time."""
    conversations = pipeline.services.conversations
    open_states = {Ownership.AI, Ownership.HUMAN}
    assert conversations.set_state(conversation_id, Ownership.RESOLVED, open_states)
    at = iso(utcnow())
    pipeline.services.review.resolved(conversation_id, at)
    return at
