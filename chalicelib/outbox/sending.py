"""The outbox: every reply (AI or human) is recorded pending, then sent through its channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.channels.sender import ChannelSender
from chalicelib.channels.twilio.outbound import PartialSendError
from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.errors import PermanentSendError, TransientError
from chalicelib.domain.messages import Channel, OutboundMessage, SendResult, iso, utcnow
from chalicelib.runtime.observability import count_reply_out, logger
from chalicelib.runtime.retry import retried
from chalicelib.store.conversations import ConversationRepository

if TYPE_CHECKING:
    from chalicelib.channels.twilio.delivery import DeliveryTracker
    from chalicelib.outbox.policy import SendPolicy

# Longer than a worker may run (Lambda timeout 120 s): a live sender never loses its claim, and a
# crashed one's message is sent by the queue's redelivery (visibility 720 s) after the lease.
LEASE_SECONDS = 150


class LazySender:
    """A sender built on its first send, so a cold start pays only for the channels it uses."""

    def __init__(self, build: Callable[[], ChannelSender]) -> None:
        self.build = build
        self.built: ChannelSender | None = None

    def send(self, message: OutboundMessage) -> SendResult:
        """Build the real sender once, then send through it."""
        if self.built is None:
            self.built = self.build()
        return self.built.send(message)


class StoredOnlySender:
    """Web chat: the stored message is the delivery (the widget polls for it)."""

    def send(self, message: OutboundMessage) -> SendResult:
        """Nothing to transmit."""
        return SendResult(provider_id=None, status="sent")


class Outbox:
    """Delivers recorded outbound messages exactly once per record."""

    def __init__(
        self,
        conversations: ConversationRepository,
        senders: dict[Channel, ChannelSender],
        policy: SendPolicy | None = None,
        tracker: DeliveryTracker | None = None,
        lease_seconds: int = LEASE_SECONDS,
    ):
        self.conversations = conversations
        self.senders = senders
        self.policy = policy
        self.tracker = tracker
        self.lease = timedelta(seconds=lease_seconds)

    def deliver(
        self,
        conversation: Conversation,
        message: StoredMessage,
        claimed: bool = False,
        profile: dict[str, Any] | None = None,
    ) -> str:
        """Claim a pending message, send it and record the outcome; transient failures retry.

        `claimed`: the caller stored it already claimed (see `claim_fields`). `profile`: the
        customer's profile as the caller read it in this same turn, for the send policy.
        """
        cid = conversation.conversation_id
        now = utcnow()
        if not claimed and not self.conversations.claim_message(
            cid, message.sk, iso(now), iso(now + self.lease)
        ):
            logger.info("send already claimed by another delivery")
            return "claimed"
        message.status = "claimed"
        try:
            outcome = self._send(conversation, message, profile)
        except Exception:
            self.conversations.release_message(cid, message.sk)  # the queue's retry sends it
            raise
        return outcome if isinstance(outcome, str) else self._settle(conversation, message, outcome)

    def warm(self, channel: Channel) -> None:
        """Let the channel's sender get ready in the background, if it can (Twilio's client)."""
        warm = getattr(self.senders.get(channel), "warm", None)
        if warm is not None:
            warm()

    def claim_fields(self) -> dict[str, str]:
        """A new message's fields that store it already claimed by its writer, for one lease."""
        return {"status": "claimed", "claimed_until": iso(utcnow() + self.lease)}

    def _settle(
        self, conversation: Conversation, message: StoredMessage, result: SendResult
    ) -> str:
        """Record a send the provider accepted: retried here, never released to be sent again."""
        try:
            return retried(lambda: self._sent(conversation, message, result))
        except TransientError:
            # The claim stays: only a redelivery after the lease could send it again.
            logger.error("reply sent but its status not recorded", extra={"status": result.status})
            claims = getattr(result, "claims", None)
            if claims and self.tracker:
                self.tracker.claim_apart(claims)  # the Sids are ours all the same
            return result.status

    def _send(
        self, conversation: Conversation, message: StoredMessage, profile: dict[str, Any] | None
    ) -> SendResult | str:
        """Send a claimed message: the provider's result, or the status recorded instead."""
        outbound = OutboundMessage(
            message_id=message.message_id,
            conversation_id=conversation.conversation_id,
            channel=conversation.channel,
            recipient=conversation.address,
            text=message.text,
            author=message.author,
            meta={**conversation.meta, **message.meta},
        )
        allowed = self._allowed(conversation, message, outbound, profile)
        if allowed is None:
            return message.status or ""
        try:
            result = self.senders[conversation.channel].send(allowed)
        except PartialSendError as partial:
            self._keep_parts(conversation, message, partial)
            raise
        except PermanentSendError as refused:
            logger.warning("send refused", extra={"provider_code": refused.provider_code})
            self._record(conversation, message, "failed", error_code=refused.provider_code or "")
            if self.policy is not None:
                self.policy.refused(conversation, refused.provider_code)
            return "failed"
        return result

    def _allowed(
        self,
        conversation: Conversation,
        message: StoredMessage,
        outbound: OutboundMessage,
        profile: dict[str, Any] | None,
    ) -> OutboundMessage | None:
        """The message as the send policy lets it go out; None (recorded why) when it may not."""
        if self.policy is None:
            return outbound
        verdict = self.policy.review(conversation, outbound, profile)
        if verdict.outbound is None:
            logger.info("send skipped", extra={"status": verdict.skipped})
            self._record(conversation, message, verdict.skipped or "skipped")
        return verdict.outbound

    def _sent(self, conversation: Conversation, message: StoredMessage, result: SendResult) -> str:
        """Record it sent, and point the provider's ids at the message (one write)."""
        part_ids = list(getattr(result, "part_ids", None) or [])
        provider_ids = part_ids or ([result.provider_id] if result.provider_id else [])
        fields: dict[str, Any] = {"provider_id": result.provider_id} if result.provider_id else {}
        if len(part_ids) > 1:
            fields["part_ids"] = part_ids
        claims = dict(getattr(result, "claims", None) or {})  # Twilio's Sids, claimed with it
        self._record(conversation, message, result.status, provider_ids, claims, **fields)
        return result.status

    def _keep_parts(
        self, conversation: Conversation, message: StoredMessage, partial: PartialSendError
    ) -> None:
        """Remember the parts that went out, and since when the next one is unconfirmed (a
        timeout), so the retry sends only the rest, looking for the unconfirmed one first."""
        ids = partial.sent_part_ids
        if self.tracker and ids:
            self.tracker.remember(ids, conversation.conversation_id, message.sk)
        unsure = {"unconfirmed_since": partial.unconfirmed_since}
        message.meta = {**message.meta, "sent_part_ids": ids, **unsure}
        self.conversations.update_message(
            conversation.conversation_id, message.sk, meta=message.meta
        )

    def _record(
        self,
        conversation: Conversation,
        message: StoredMessage,
        status: str,
        provider_ids: list[str] | None = None,
        claims: dict[str, str] | None = None,
        **fields: Any,
    ) -> None:
        message.status = status
        count_reply_out(conversation.channel.value, message.author.value, status)
        cid = conversation.conversation_id
        if self.tracker:
            # A status callback may have moved the message on already: never move it back.
            ids = provider_ids or ()
            moved = self.tracker.advance(cid, message.sk, status, ids, claims=claims, **fields)
            if not moved and fields:
                self.conversations.update_message(cid, message.sk, **fields)
            return
        self.conversations.update_message(cid, message.sk, status=status, **fields)
