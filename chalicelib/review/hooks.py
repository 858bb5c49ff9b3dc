"""The review's hooks into the conversation's life: escalated, reopened, rated, resolved.

When does an AI-only conversation count as resolved? Either a person resolves it explicitly
(`POST /conversations/{id}/resolve` while the AI owns it), or the customer stays quiet for
`AI_IDLE_RESOLVE_SECONDS` (default 24 h) after the AI's last reply: `resolve_idle` then resolves it
as of that last reply, so time to resolution measures the answer, not the wait.
"""

from __future__ import annotations

from chalicelib.agent.base import Escalation
from chalicelib.domain.conversations import Conversation, Ownership
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.review.csat import CsatSurvey
from chalicelib.review.facts import MessageFacts
from chalicelib.runtime.observability import logger
from chalicelib.store.conversations import ConversationRepository


class ReviewHooks:
    """What the turn runner and the helpdesk call so review and metrics see every moment."""

    def __init__(
        self, conversations: ConversationRepository, facts: MessageFacts, survey: CsatSurvey
    ) -> None:
        self.conversations = conversations
        self.facts = facts
        self.survey = survey

    def escalated(self, conversation: Conversation, escalation: Escalation) -> None:
        """TurnRunner, after the handoff hook: record the escalation and flag it."""
        reasons = [reason.code for reason in escalation.reasons]
        self.facts.escalated(conversation.conversation_id, reasons)

    def reopened(self, conversation: Conversation) -> None:
        """TurnRunner, when a customer writes on a resolved conversation."""
        self.facts.reopened(conversation.conversation_id)

    def capture_csat(self, conversation: Conversation) -> bool:
        """TurnRunner, before answering: True when the new message was a CSAT rating (done)."""
        return self.survey.capture(conversation)

    def resolved(self, conversation_id: str, at: str | None = None) -> str | None:
        """Helpdesk resolve (and the idle sweep): record facts, then ask CSAT once."""
        by = self.facts.resolved(conversation_id, at)
        conversation = self.conversations.load(conversation_id)
        if by is None or conversation is None:
            return None
        self.survey.ask(conversation)
        return by

    def resolve_idle(self, now: str | None = None) -> int:
        """Resolve AI conversations whose customer stayed quiet past the idle time; how many."""
        resolved = 0
        for item in self.facts.review.idle_due(now or iso(utcnow())):
            conversation_id = str(item["conversation_id"])
            if self.conversations.set_state(conversation_id, Ownership.RESOLVED, {Ownership.AI}):
                self.resolved(conversation_id, str(item["last_reply_at"]))
                resolved += 1
            else:
                self.facts.review.clear_idle(conversation_id)
        logger.info("idle conversations resolved", extra={"count": resolved})
        return resolved
