"""Channel constraints in the customer snapshot, and a packet trimmed to fit one SQS message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.messages import Author, Channel, iso
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.handoff.packet import MAX_PACKET_BYTES, Escalating, build_packet
from chalicelib.handoff.snapshot import channel_constraints

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _conversation(channel: Channel, last_customer: datetime, verified: bool = True) -> Conversation:
    message = StoredMessage(
        message_id="m1", author=Author.CUSTOMER, text="hi", created_at=iso(last_customer)
    )
    return Conversation(
        conversation_id="c1",
        channel=channel,
        address="whatsapp:+14155550123",
        verified=verified,
        created_at=iso(last_customer),
        messages=[message],
    )


def test_whatsapp_window_closed_after_24_hours_means_template_only() -> None:
    found = channel_constraints(_conversation(Channel.WHATSAPP, NOW - timedelta(hours=25)), {}, NOW)
    assert found.whatsapp_window_open is False and found.free_text_allowed is False
    assert "template" in found.notes[0]


def test_whatsapp_window_open_uses_meta_last_customer_at_when_set() -> None:
    conversation = _conversation(Channel.WHATSAPP, NOW - timedelta(hours=30))
    conversation.meta["last_customer_at"] = iso(NOW - timedelta(hours=1))
    found = channel_constraints(conversation, {}, NOW)
    assert found.whatsapp_window_open is True
    assert found.whatsapp_window_closes_at == iso(NOW + timedelta(hours=23))


def test_sms_opt_out_and_unverified_identity_are_spelled_out() -> None:
    conversation = _conversation(Channel.SMS, NOW, verified=False)
    found = channel_constraints(conversation, {"opt_out": True}, NOW)
    assert found.sms_opted_out and not found.free_text_allowed and not found.identity_verified
    assert len(found.notes) == 2


def test_long_transcript_is_trimmed_to_fit_one_sqs_message() -> None:
    conversation = _conversation(Channel.SMS, NOW)
    conversation.messages = [
        StoredMessage(
            message_id=f"m{i}", author=Author.CUSTOMER, text="x" * 3000, created_at=iso(NOW)
        )
        for i in range(200)
    ]
    decided = Escalating("esc_1", [], "normal", iso(NOW), "wants help", "")
    packet = build_packet(conversation, CustomerBundle(customer_id="c"), decided, "http://x", NOW)
    assert packet.transcript_truncated and len(packet.model_dump_json()) <= MAX_PACKET_BYTES
    assert packet.transcript[-1].message_id == "m199"
