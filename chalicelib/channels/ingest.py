"""Webhook -> verified, normalized, deduped, recorded, enqueued: two AWS calls, no agent work."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.domain.errors import TransientError
from chalicelib.runtime.observability import count_message_in
from chalicelib.runtime.queues import FifoQueue
from chalicelib.store.dedupe import DedupeStore

if TYPE_CHECKING:
    from chalicelib.domain.inbound_record import InboundRecord
    from chalicelib.domain.messages import InboundMessage

MAX_RECORDED_TEXT = 64_000


def message_id_for(source: str, external_id: str) -> str:
    """Our message id for a provider's delivery id: stable, so redeliveries map to one message."""
    digest = hashlib.sha256(f"{source}:{external_id}".encode()).hexdigest()
    return f"m_{digest[:24]}"


def turn_group(message: InboundMessage | InboundRecord) -> str:
    """The FIFO group: the conversation when the channel knows it, else the sender's address."""
    return message.conversation_id or f"{message.channel.value}:{message.sender}"


@dataclass(frozen=True)
class Accepted:
    """What happened to an inbound delivery."""

    message_id: str
    duplicate: bool


class Ingest:
    """Accepts inbound messages from every channel."""

    def __init__(self, dedupe: DedupeStore, queue: FifoQueue) -> None:
        self.dedupe = dedupe
        self.queue = queue

    def accept(self, message: InboundMessage | InboundRecord) -> Accepted:
        """Record a delivery once and enqueue its turn; a duplicate is acknowledged and dropped."""
        message_id = message_id_for(message.source, message.external_id)
        inbound = message.as_json()
        inbound["text"] = message.text[:MAX_RECORDED_TEXT]
        body = {"message_id": message_id, "inbound": inbound}
        if not self.dedupe.first_time(message.source, message.external_id, body):
            return Accepted(message_id, duplicate=True)
        try:
            self.queue.send(body, group=turn_group(message), dedupe_id=message_id)
        except TransientError:
            # Let the provider's retry through: an unqueued delivery must not look like a duplicate.
            self.dedupe.forget(message.source, message.external_id)
            raise
        count_message_in(message.channel.value)
        return Accepted(message_id, duplicate=False)
