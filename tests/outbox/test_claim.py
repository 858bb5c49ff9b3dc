"""The outbox claims a pending message before sending: concurrent deliveries send it once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.errors import TransientError
from chalicelib.domain.messages import Author, Channel, OutboundMessage, SendResult, iso, utcnow
from chalicelib.outbox.sending import Outbox
from tests.harness import Pipeline


class SlowCountingSender:
    """A sender that takes a moment and counts sends; fails while `failures` lasts."""

    def __init__(self, failures: int = 0) -> None:
        self.sent: list[str] = []
        self.failures = failures
        self.lock = threading.Lock()

    def send(self, message: OutboundMessage) -> SendResult:
        """Count the send (or fail transiently)."""
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise TransientError("provider 503")
            self.sent.append(message.message_id)
        return SendResult(provider_id=None, status="sent")


def recorded_reply(pipeline: Pipeline) -> tuple[Conversation, StoredMessage]:
    """A web-chat conversation with one pending AI reply."""
    conversation = Conversation(
        conversation_id="chat_claim",
        channel=Channel.WEBCHAT,
        address="chat_claim",
        customer_id="c1",
        verified=False,
        created_at=iso(utcnow()),
    )
    repository = pipeline.services.conversations
    repository.create(conversation)
    reply = StoredMessage(
        message_id="m1.r", author=Author.AI, text="hi", created_at=iso(utcnow()), status="pending"
    )
    assert repository.add_message(conversation.conversation_id, reply)
    return conversation, reply


def outbox(pipeline: Pipeline, sender: SlowCountingSender, lease: int = 150) -> Outbox:
    """An outbox with only the web-chat sender."""
    senders = {Channel.WEBCHAT: sender}
    return Outbox(pipeline.services.conversations, senders, lease_seconds=lease)  # type: ignore[dict-item]


def stored_status(pipeline: Pipeline, conversation: Conversation) -> str | None:
    """The reply's stored status."""
    found = pipeline.services.conversations.load(conversation.conversation_id)
    return found.message("m1.r").status


def test_concurrent_deliveries_of_one_reply_send_it_once(pipeline: Pipeline) -> None:
    conversation, reply = recorded_reply(pipeline)
    sender = SlowCountingSender()
    box = outbox(pipeline, sender)
    copies = [reply.model_copy() for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda m: box.deliver(conversation, m), copies))
    assert sender.sent == ["m1.r"]
    assert sorted(statuses) == ["claimed"] * 5 + ["sent"]
    assert stored_status(pipeline, conversation) == "sent"


def test_a_failed_send_releases_its_claim_for_the_retry(pipeline: Pipeline) -> None:
    conversation, reply = recorded_reply(pipeline)
    sender = SlowCountingSender(failures=1)
    box = outbox(pipeline, sender)
    with pytest.raises(TransientError):
        box.deliver(conversation, reply.model_copy())
    assert stored_status(pipeline, conversation) == "pending"
    assert box.deliver(conversation, reply.model_copy()) == "sent"
    assert sender.sent == ["m1.r"]


def test_a_lapsed_claim_is_sent_by_the_next_delivery(pipeline: Pipeline) -> None:
    conversation, reply = recorded_reply(pipeline)
    lapsed = "2000-01-01T00:00:00.000Z"
    repository = pipeline.services.conversations
    assert repository.claim_message(conversation.conversation_id, reply.sk, lapsed, lapsed)
    loaded = repository.load(conversation.conversation_id)
    assert loaded.unsent("1999-01-01T00:00:00.000Z") == []  # a live claim is nobody else's
    later = loaded.unsent(iso(utcnow().replace(year=2100)))
    assert [m.message_id for m in later] == ["m1.r"]
    sender = SlowCountingSender()
    assert outbox(pipeline, sender, lease=0).deliver(conversation, later[0]) == "sent"
    assert sender.sent == ["m1.r"]
