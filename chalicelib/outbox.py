"""The outbox: every reply (AI or human) is recorded pending, then sent through its channel."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.errors import PermanentSendError
from chalicelib.domain.messages import Channel, OutboundMessage, SendResult
from chalicelib.observability import count_reply_out, logger
from chalicelib.store.conversations import ConversationRepository


class ChannelSender(Protocol):
    """Sends text on one channel."""

    def send(self, message: OutboundMessage) -> SendResult:
        """Send a message; TransientError to retry later, PermanentSendError to give up."""
        ...


class StoredOnlySender:
    """Web chat: the stored message is the delivery (the widget polls for it)."""

    def send(self, message: OutboundMessage) -> SendResult:
        """Nothing to transmit."""
        return SendResult(provider_id=None, status="sent")


class Outbox:
    """Delivers recorded outbound messages exactly once per record."""

    def __init__(
        self, conversations: ConversationRepository, senders: dict[Channel, ChannelSender]
    ):
        self.conversations = conversations
        self.senders = senders

    def deliver(self, conversation: Conversation, message: StoredMessage) -> str:
        """Send a pending message and record the outcome; transient failures propagate to retry."""
        outbound = OutboundMessage(
            message_id=message.message_id,
            conversation_id=conversation.conversation_id,
            channel=conversation.channel,
            recipient=conversation.address,
            text=message.text,
            author=message.author,
            meta={**conversation.meta, **message.meta},
        )
        try:
            result = self.senders[conversation.channel].send(outbound)
        except PermanentSendError as refused:
            logger.warning("send refused", extra={"provider_code": refused.provider_code})
            self._record(conversation, message, "failed", error_code=refused.provider_code or "")
            return "failed"
        fields = {"provider_id": result.provider_id} if result.provider_id else {}
        self._record(conversation, message, result.status, **fields)
        return result.status

    def _record(
        self, conversation: Conversation, message: StoredMessage, status: str, **fields: str
    ) -> None:
        message.status = status
        count_reply_out(conversation.channel.value, message.author.value, status)
        self.conversations.update_message(
            conversation.conversation_id, message.sk, status=status, **fields
        )
