"""Metric facts and review flags, recorded as they happen (each once, by conditional writes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from chalicelib.domain.conversations import StoredMessage
from chalicelib.domain.vocabulary import Author, iso, utcnow
from chalicelib.runtime.observability import count_escalation, logger
from chalicelib.store.conversations import MessageEffects
from chalicelib.store.review import ReviewRepository

FLAGS = ("escalated", "low_csat", "feedback", "fallback")
CSAT_KIND = "csat"


def parse_time(text: str) -> datetime:
    """Our ISO timestamps (with a Z) as aware datetimes."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def flag_conversation(
    review: ReviewRepository, conversation_id: str, flag: str, **details: object
) -> bool:
    """Put a conversation in one review queue once (GSI2 `FLAG#<flag>`, newest first)."""
    if flag not in FLAGS:
        raise ValueError(f"unknown review flag {flag!r}")
    return review.flag(conversation_id, flag, iso(utcnow()), **details)


class MessageFacts:
    """The conversation store's listener: reply facts, the fallback flag and idle timers."""

    def __init__(self, review: ReviewRepository, idle_seconds: int) -> None:
        self.review = review
        self.idle_seconds = idle_seconds

    def effects(self, conversation_id: str, message: StoredMessage) -> MessageEffects:
        """What a newly stored message means for metrics and review, as writes to make."""
        if message.meta.get("kind") == CSAT_KIND:
            return MessageEffects()
        if message.author is Author.CUSTOMER:
            return MessageEffects(once={"first_message_at": message.created_at}, clear_idle=True)
        once = {"first_response_at": message.created_at}
        if message.author is Author.HUMAN:
            once["human_replied_at"] = message.created_at
            return MessageEffects(once=once, clear_idle=True)
        after: list[Callable[[], object]] = []
        if message.meta.get("fallback"):
            flag = partial(
                flag_conversation,
                self.review,
                conversation_id,
                "fallback",
                message_id=message.message_id,
            )
            after.append(flag)
        due = parse_time(message.created_at) + timedelta(seconds=self.idle_seconds)
        idle = self.review.idle_item(conversation_id, iso(due), message.created_at)
        return MessageEffects(once=once, idle=idle, after=after)

    def on_message(self, conversation_id: str, message: StoredMessage) -> None:
        """Record what a newly stored message means for metrics and review, now."""
        effects = self.effects(conversation_id, message)
        if effects.once:
            self.review.record_once(conversation_id, **effects.once)
        if effects.clear_idle:
            self.review.clear_idle(conversation_id)
        if effects.idle:
            self.review.put_idle(effects.idle)
        for step in effects.after:
            step()

    def escalated(self, conversation_id: str, reasons: list[str]) -> None:
        """The conversation went to a human: facts, the `escalated` flag, one counter per reason."""
        now = iso(utcnow())
        first = self.review.flag(conversation_id, "escalated", now, reasons=reasons)
        self.review.record_once(conversation_id, escalated_at=now, escalation_reasons=reasons)
        self.review.add_count(conversation_id, "escalation_count")
        self.review.clear_idle(conversation_id)
        for reason in reasons:
            count_escalation(reason)
        logger.info("escalation recorded for review", extra={"first": first, "reasons": reasons})

    def reopened(self, conversation_id: str) -> None:
        """A customer wrote on a resolved conversation."""
        self.review.record_once(conversation_id, first_reopened_at=iso(utcnow()))
        self.review.add_count(conversation_id, "reopen_count")

    def resolved(self, conversation_id: str, at: str | None = None) -> str | None:
        """Record the first resolution and who resolved it (ai alone, or human); None if unknown."""
        facts = self.review.facts(conversation_id)
        if facts is None:
            return None
        human = bool(facts.get("escalated_at") or facts.get("human_replied_at"))
        by = "human" if human else "ai"
        self.review.record_once(conversation_id, resolved_at=at or iso(utcnow()), resolved_by=by)
        self.review.clear_idle(conversation_id)
        return by
