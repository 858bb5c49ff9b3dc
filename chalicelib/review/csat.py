"""CSAT: asked once after resolution on the customer's channel; a 1-5 answer is recorded, not answered."""

from __future__ import annotations

from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.errors import TransientError
from chalicelib.domain.vocabulary import Author, iso, utcnow
from chalicelib.outbox.policy import TEMPLATE_PURPOSE
from chalicelib.outbox.sending import Outbox
from chalicelib.review.facts import CSAT_KIND, flag_conversation
from chalicelib.runtime.observability import count_csat, logger
from chalicelib.runtime.patterns import lazy
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.review import ReviewRepository

LOW_CSAT = 2
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
DIGIT = lazy(r"^([1-5])(?:\ufe0f?\u20e3)?\s*(?:/\s*5|out of 5|stars?|[*])?$")
STARS = lazy(r"^[\u2b50\u2605]{1,5}$")
TRAILING = " \t\r\n.!?\ufe0f"


def parse_rating(text: str) -> int | None:
    """A CSAT answer: `4`, `4/5`, `4 stars`, `4️⃣`, `four`, or 1-5 star emoji; else None."""
    cleaned = text.strip().rstrip(TRAILING).lower()
    if cleaned in WORDS:
        return WORDS[cleaned]
    if STARS.match(cleaned):
        return len(cleaned)
    match = DIGIT.match(cleaned)
    return int(match.group(1)) if match else None


class CsatSurvey:
    """Asks the question through the outbox and records the customer's rating."""

    def __init__(
        self,
        conversations: ConversationRepository,
        review: ReviewRepository,
        outbox: Outbox,
        question: str,
    ) -> None:
        self.conversations = conversations
        self.review = review
        self.outbox = outbox
        self.question = question

    def ask(self, conversation: Conversation) -> str | None:
        """Send the question once per conversation; the delivery status, or None if asked before."""
        message = StoredMessage(
            message_id=f"csat_{conversation.conversation_id}",
            author=Author.AI,
            text=self.question,
            created_at=iso(utcnow()),
            status="pending",
            meta={"kind": CSAT_KIND, TEMPLATE_PURPOSE: "csat"},  # the store's csat template
        )
        if not self.conversations.add_message(conversation.conversation_id, message):
            return None
        try:
            status = self.outbox.deliver(conversation, message)
        except TransientError:
            logger.warning("csat question not sent yet, left pending")
            return "pending"
        if not status.startswith(("failed", "skipped")):
            self.review.record_once(conversation.conversation_id, csat_asked_at=message.created_at)
        return status

    def capture(self, conversation: Conversation) -> bool:
        """Record a rating among the new messages; True when nothing else is left to answer."""
        if conversation.state is not Ownership.RESOLVED:
            return False
        pending = conversation.unanswered()
        rated = next((m for m in pending if parse_rating(m.text) is not None), None)
        if rated is None or not self._awaiting(conversation.conversation_id):
            return False
        self._record(conversation.conversation_id, rated, parse_rating(rated.text) or 0)
        return len(pending) == 1

    def _awaiting(self, conversation_id: str) -> bool:
        facts = self.review.facts(conversation_id) or {}
        return bool(facts.get("csat_asked_at")) and "csat" not in facts

    def _record(self, conversation_id: str, message: StoredMessage, score: int) -> None:
        message.meta = {**message.meta, "csat": score}
        self.conversations.update_message(conversation_id, message.sk, meta=message.meta)
        self.review.record_once(conversation_id, csat=score, csat_at=message.created_at)
        if score <= LOW_CSAT:
            flag_conversation(self.review, conversation_id, "low_csat", csat=score)
        count_csat(score)
        logger.info("csat recorded", extra={"csat": score})
