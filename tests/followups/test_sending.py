"""Firing follow-ups on moto: one personalized email reaches SES, re-checks, deferral, channels."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.conversations import Conversation, Ownership
from chalicelib.domain.messages import Channel, OutboundMessage, SendResult
from dev.seed import DEMO_CUSTOMER_ID
from tests.followups.conftest import FollowUpWorld
from tests.followups.support import LINEN_TEE, customer_event, schedules, sent_mail, text_of


def schedule(world: FollowUpWorld, channel: str = "webchat", sku: str = LINEN_TEE) -> str:
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, sku, channel, "asked")
    assert answer["scheduled"] is True, answer
    return str(answer["followup_id"])


def status(world: FollowUpWorld, followup_id: str) -> tuple[str, str]:
    found = world.services.followup_parts.records.get(DEMO_CUSTOMER_ID, followup_id)
    assert found is not None
    return found.status, found.status_reason


def test_due_followup_sends_one_personalized_email_and_its_schedule_is_gone(
    world: FollowUpWorld,
) -> None:
    followup_id = schedule(world)
    assert world.fire_after(2) == 0  # not due yet
    assert world.fire_after(2) == 1
    [mail] = sent_mail(world.pipeline.moto_url)
    body = text_of(mail)
    assert mail["To"] == "ava@example.com" and mail["From"] == "support@northwind.example"
    assert mail["Subject"] == "Ava, still thinking about the Linen tee (white)?"
    assert "In-Reply-To" not in mail
    assert body.startswith("Hi Ava,")
    assert "Linen tee (white) (30.00 USD)" in body
    assert "https://northwind-threads.example/p/linen-tee-white" in body
    assert "Linen tee (sand): https://" in body and "Linen cushion cover (sage): https://" in body
    assert "Linen shorts" not in body  # related but out of stock
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://127.0.0.1:8000/unsubscribe/")
    assert f"Unsubscribe: {unsubscribe}" in body
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert schedules(world.pipeline.moto_url) == []
    assert status(world, followup_id) == ("sent", "")


def test_followup_email_is_signed_once(world: FollowUpWorld) -> None:
    schedule(world)
    assert world.fire_after(5) == 1
    [mail] = sent_mail(world.pipeline.moto_url)
    body = text_of(mail)
    assert body.count("— Northwind Threads") == 1, body  # the demo store's sign-off


def test_sent_followup_is_in_an_email_conversation_and_on_the_timeline(
    world: FollowUpWorld,
) -> None:
    followup_id = schedule(world)
    world.fire_after(5)
    bundle = world.services.customers.load(DEMO_CUSTOMER_ID)
    conversation_id = bundle.threads["email#ava@example.com"]
    conversation = world.services.conversations.load(conversation_id)
    assert conversation is not None and conversation.channel is Channel.EMAIL
    [message] = conversation.messages
    assert message.status == "sent" and message.meta["followup_id"] == followup_id
    assert "followup.sent" in [event["type"] for event in bundle.events]


def test_firing_twice_sends_one_email(world: FollowUpWorld) -> None:
    import app

    followup_id = schedule(world)
    [scheduled] = schedules(world.pipeline.moto_url)
    payload = json.loads(scheduled["Target"]["Input"])
    first = app.send_followup(payload, None)
    second = app.send_followup(payload, None)
    world.fire_after(5)
    assert first["status"] == "sent" and second == {"status": "sent", "duplicate": True}
    assert len(sent_mail(world.pipeline.moto_url)) == 1
    assert status(world, followup_id) == ("sent", "")


def test_consent_withdrawn_without_a_store_event_is_caught_at_send_time(
    world: FollowUpWorld,
) -> None:
    followup_id = schedule(world)
    consent = {"email_marketing": False, "sms_marketing": True, "whatsapp": True}
    world.services.customers.save_profile(DEMO_CUSTOMER_ID, {"consent": consent})
    world.fire_after(5)
    assert sent_mail(world.pipeline.moto_url) == []
    assert status(world, followup_id) == ("skipped", "no_consent")


def test_bought_meanwhile_is_skipped_at_send_time(world: FollowUpWorld) -> None:
    followup_id = schedule(world)
    order = {"order_id": "o-x", "order_number": "x", "status": "placed", "placed_at": "2026-06-15"}
    order["items"] = [{"sku": LINEN_TEE, "name": "Linen tee", "quantity": 1, "price": 30}]
    world.services.customers.save_order(DEMO_CUSTOMER_ID, order, "2026-06-15T00:00:00Z")
    world.fire_after(5)
    assert sent_mail(world.pipeline.moto_url) == []
    assert status(world, followup_id) == ("skipped", "already_bought")


def test_human_owned_conversation_is_skipped(world: FollowUpWorld) -> None:
    conversation = Conversation(
        conversation_id="conv-chat",
        channel=Channel.WEBCHAT,
        address="session-1",
        customer_id=DEMO_CUSTOMER_ID,
        created_at="2026-06-15T15:00:00.000Z",
    )
    world.services.conversations.create(conversation)
    answer = world.services.followups.schedule_follow_up(
        DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked", conversation_id="conv-chat"
    )
    world.services.conversations.set_state("conv-chat", Ownership.HUMAN, {Ownership.AI})
    world.fire_after(5)
    assert sent_mail(world.pipeline.moto_url) == []
    assert status(world, str(answer["followup_id"])) == ("skipped", "human_owned")


def test_product_gone_from_the_catalog_is_skipped(world: FollowUpWorld) -> None:
    followup_id = schedule(world)
    product = {**(world.services.catalog.get(LINEN_TEE) or {}), "in_stock": False}
    world.services.catalog.save(product, "2027-01-01T00:00:00Z")
    world.fire_after(5)
    assert status(world, followup_id) == ("skipped", "product_unavailable")


def test_quiet_hours_defer_to_the_morning_not_drop(world: FollowUpWorld) -> None:
    world.clock.now = datetime(2026, 6, 16, 3, 0, tzinfo=UTC)  # 23:00 in New York
    followup_id = schedule(world)
    assert world.fire_after(5) == 1
    assert sent_mail(world.pipeline.moto_url) == []
    [deferred] = schedules(world.pipeline.moto_url)
    assert deferred["ScheduleExpression"] == "at(2026-06-16T12:00:00)"  # 08:00 in New York
    assert deferred["Name"] == f"{followup_id}-1"
    assert status(world, followup_id) == ("scheduled", "")
    events = world.services.customers.load(DEMO_CUSTOMER_ID).events
    assert ("followup.deferred", "quiet_hours") in [
        (e["type"], e["data"]["reason"]) for e in events
    ]
    assert world.emulator.fire_due(datetime(2026, 6, 16, 11, 59, tzinfo=UTC)) == 0
    world.clock.now = datetime(2026, 6, 16, 12, 0, 1, tzinfo=UTC)
    assert world.emulator.fire_due(world.clock.now) == 1
    assert len(sent_mail(world.pipeline.moto_url)) == 1
    assert status(world, followup_id) == ("sent", "")


def test_quiet_hours_use_the_customers_time_zone(world: FollowUpWorld) -> None:
    world.services.customers.save_profile(DEMO_CUSTOMER_ID, {"time_zone": "Asia/Tokyo"})
    followup_id = schedule(world)  # noon in New York is 01:00 in Tokyo
    world.fire_after(5)
    assert sent_mail(world.pipeline.moto_url) == []
    [deferred] = schedules(world.pipeline.moto_url)
    assert deferred["ScheduleExpression"] == "at(2026-06-15T23:00:00)"  # 08:00 in Tokyo
    assert status(world, followup_id)[0] == "scheduled"


def test_stale_firing_of_a_deferred_schedule_sends_nothing(world: FollowUpWorld) -> None:
    import app

    world.clock.now = datetime(2026, 6, 16, 3, 0, tzinfo=UTC)
    followup_id = schedule(world)
    first = {"followup_id": followup_id, "customer_id": DEMO_CUSTOMER_ID}
    first["schedule"] = f"{followup_id}-0"
    assert app.send_followup(first, None)["status"] == "deferred"
    world.clock.now = datetime(2026, 6, 16, 13, 0, tzinfo=UTC)
    assert app.send_followup(first, None)["duplicate"] is True  # redelivered first firing
    assert sent_mail(world.pipeline.moto_url) == []


class RecordingSender:
    """A channel sender that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[OutboundMessage] = []

    def send(self, message: OutboundMessage) -> SendResult:
        self.sent.append(message)
        return SendResult(provider_id=f"SM{len(self.sent)}", status="queued")


def with_sender(world: FollowUpWorld, channel: Channel) -> RecordingSender:
    sender = RecordingSender()
    senders: dict[Channel, Any] = dict(world.services.senders)
    senders[channel] = sender
    world.services.__dict__["senders"] = senders
    return sender


def test_asked_by_sms_is_followed_up_by_sms(world: FollowUpWorld) -> None:
    sms = with_sender(world, Channel.SMS)
    followup_id = schedule(world, channel="sms")
    world.fire_after(5)
    [message] = sms.sent
    assert message.recipient == "+14155550123"
    assert message.text.startswith("Hi Ava, the Linen tee (white) you asked about")
    assert "Reply STOP to opt out" in message.text
    assert sent_mail(world.pipeline.moto_url) == []
    assert status(world, followup_id) == ("sent", "")


def test_whatsapp_followup_carries_its_template_for_outside_the_window(
    world: FollowUpWorld,
) -> None:
    whatsapp = with_sender(world, Channel.WHATSAPP)
    schedule(world, channel="whatsapp")
    world.fire_after(5)
    [message] = whatsapp.sent
    assert message.recipient == "whatsapp:+14155550123"
    assert message.meta["template_purpose"] == "followup"
    assert message.meta["template_values"]["product_name"] == "Linen tee (white)"


def test_sms_without_sms_consent_falls_back_to_email(world: FollowUpWorld) -> None:
    consent = {"email_marketing": True, "sms_marketing": False, "whatsapp": False}
    world.post_events(customer_event("sms-off", consent=consent))
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "sms", "")
    assert answer["channel"] == "email"
    world.fire_after(5)
    assert len(sent_mail(world.pipeline.moto_url)) == 1


def test_broken_template_fails_the_followup_with_a_reason(world: FollowUpWorld) -> None:
    rules = world.services.store_config.followups
    evil = "{{ product.__class__.__mro__[1].__subclasses__() }}"
    world.services.store_config.followups = rules.model_copy(update={"email_body": evil})
    followup_id = schedule(world)
    world.fire_after(5)
    assert sent_mail(world.pipeline.moto_url) == []
    assert status(world, followup_id) == ("failed", "template_error")
