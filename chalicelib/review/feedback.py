"""A reviewer's feedback on one AI message: validated, traced to its source, stored with the reviewer."""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.errors import BadRequestError, NotFoundError
from chalicelib.domain.vocabulary import Author, iso, utcnow

CATEGORIES = (
    "wrong_answer",
    "policy_misquote",
    "tone",
    "should_have_escalated",
    "should_not_have_escalated",
    "other",
)
MAX_TEXT = 4000
MAX_NAME = 200


def _text(body: dict[str, Any], name: str, required: bool, limit: int = MAX_TEXT) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        need = "a non-empty string" if required else "a string"
        raise BadRequestError(f"{name} must be {need} of at most {limit} characters", field=name)
    return value.strip()


def message_sources(message: StoredMessage) -> list[str]:
    """Where a message's information came from: its knowledge sources, else the tools it called."""
    tools = [f"tool:{tool['name']}" for tool in message.tools if tool.get("name")]
    return list(message.sources) or tools


def _sources(body: dict[str, Any], message: StoredMessage) -> list[str]:
    given = body.get("source")
    if given is None:
        return message_sources(message)
    values = [given] if isinstance(given, str) else given
    if not isinstance(values, list) or not values:
        raise BadRequestError("source must be a string or a list of strings", field="source")
    if not all(isinstance(v, str) and v.strip() and len(v) <= MAX_NAME for v in values):
        raise BadRequestError("source must be a string or a list of strings", field="source")
    return [v.strip() for v in values]


def reviewer_of(body: dict[str, Any], header: str | None) -> dict[str, str]:
    """`reviewer` {"id", "name"?} in the body, else the X-Reviewer header, else anonymous."""
    given = body.get("reviewer")
    if given is None:
        name = (header or "").strip()[:MAX_NAME]
        return {"id": name or "unknown", "name": name or "unknown"}
    if not isinstance(given, dict):
        raise BadRequestError('reviewer must be an object {"id", "name"}', field="reviewer")
    reviewer_id = _text(given, "id", True, MAX_NAME) if "id" in given else ""
    if not reviewer_id:
        raise BadRequestError("reviewer.id must be a non-empty string", field="reviewer.id")
    return {"id": reviewer_id, "name": _text(given, "name", False, MAX_NAME) or reviewer_id}


def reviewed_message(conversation: Conversation, body: dict[str, Any]) -> StoredMessage:
    """The message the feedback is about: 400 when missing or a customer's, 404 when unknown."""
    message_id = _text(body, "message_id", True, MAX_NAME)
    message = conversation.message(message_id)
    if message is None:
        raise NotFoundError(f"no message {message_id} in this conversation")
    if message.author is Author.CUSTOMER:
        raise BadRequestError(
            "message_id must name a reply, not the customer's", field="message_id"
        )
    return message


def build_feedback(
    conversation: Conversation, body: dict[str, Any], reviewer: dict[str, str]
) -> dict[str, Any]:
    """The stored feedback item: what was wrong, the right answer, and where it came from."""
    message = reviewed_message(conversation, body)
    category = body.get("category")
    if category not in CATEGORIES:
        raise BadRequestError(f"category must be one of {', '.join(CATEGORIES)}", field="category")
    return {
        "feedback_id": f"fb_{uuid.uuid4().hex[:20]}",
        "conversation_id": conversation.conversation_id,
        "message_id": message.message_id,
        "category": category,
        "what_was_wrong": _text(body, "what_was_wrong", True),
        "correct_answer": _text(body, "correct_answer", False),
        "sources": _sources(body, message),
        "intent": str(message.meta.get("intent") or "unknown"),
        "channel": conversation.channel.value,
        "author": message.author.value,
        "reply": message.text[:MAX_TEXT],
        "reviewer": reviewer,
        "created_at": iso(utcnow()),
    }
