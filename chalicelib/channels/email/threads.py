"""Email threading: a reply continues its conversation; our sent mail is remembered for the next one."""

from __future__ import annotations

import hashlib
from typing import Any

from chalicelib.channels.sender import ChannelSender
from chalicelib.domain.messages import InboundMessage, OutboundMessage, SendResult
from chalicelib.runtime.observability import logger
from chalicelib.store.mail_threads import MailThreadIndex, ThreadOwner

MAX_REFERENCES = 10


def thread_candidates(meta: dict[str, Any]) -> list[str]:
    """Message-IDs the mail answers, best first: In-Reply-To, then References newest first."""
    found = [str(meta.get("in_reply_to") or "")]
    found += [str(ref) for ref in reversed(meta.get("references") or [])]
    return list(dict.fromkeys(ref for ref in found if ref))


def may_join(owner: ThreadOwner, message: InboundMessage) -> bool:
    """A mail joins a conversation only from its own address with the same proof of identity.

    A spoofed sender (unverified) never joins a verified customer's conversation, and a verified
    sender does not inherit an unverified conversation (it gets its own, with the customer's data).
    """
    return owner.address == message.sender and owner.verified == message.verified


def new_conversation_id(external_id: str) -> str:
    """A new mail's conversation id, derived from SES's id so a redelivery finds the same one."""
    return f"conv_{hashlib.sha256(f'ses:{external_id}'.encode()).hexdigest()[:20]}"


def reply_thread(meta: dict[str, Any]) -> dict[str, Any]:
    """What our reply needs from this mail: its subject, Message-ID and References (capped)."""
    references = [str(ref) for ref in meta.get("references") or []]
    if meta.get("in_reply_to") and meta["in_reply_to"] not in references:
        references.append(str(meta["in_reply_to"]))
    return {
        "subject": str(meta.get("subject") or ""),
        "in_reply_to": str(meta.get("message_id") or ""),
        "references": references[-MAX_REFERENCES:],
    }


class EmailThreads:
    """Finds the conversation a received mail continues, and remembers the mail for later replies."""

    def __init__(self, index: MailThreadIndex) -> None:
        self.index = index

    def thread(self, message: InboundMessage) -> InboundMessage:
        """The message with its conversation (continued or new) and the thread our reply continues."""
        conversation_id = self.continued(message) or new_conversation_id(message.external_id)
        own_id = str(message.meta.get("message_id") or "")
        if own_id:
            self.index.remember(own_id, conversation_id, message.sender, message.verified)
        meta = {**message.meta, "reply_thread": reply_thread(message.meta)}
        return message.model_copy(update={"conversation_id": conversation_id, "meta": meta})

    def continued(self, message: InboundMessage) -> str | None:
        """The conversation this mail replies to, when it may join it."""
        for candidate in thread_candidates(message.meta):
            owner = self.index.owner(candidate)
            if owner is not None:
                return owner.conversation_id if may_join(owner, message) else None
        named = str(message.meta.get("reply_to_conversation") or "")
        owner = self.index.conversation_owner(named) if named else None
        return owner.conversation_id if owner and may_join(owner, message) else None


class ThreadRecordingSender:
    """An email sender that remembers SES's id of each sent mail so the customer's reply threads."""

    def __init__(self, sender: ChannelSender, index: MailThreadIndex) -> None:
        self.sender = sender
        self.index = index

    def send(self, message: OutboundMessage) -> SendResult:
        """Send, then index the SES Message-ID; an index failure never makes a sent mail resend."""
        result = self.sender.send(message)
        if result.provider_id:
            try:
                self.index.remember(result.provider_id, message.conversation_id)
            except Exception as error:  # the mail is out: record it sent; threading falls back
                logger.warning("thread index not written", extra={"error": type(error).__name__})
        return result
