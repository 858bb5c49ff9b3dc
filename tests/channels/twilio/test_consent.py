"""STOP, START and HELP on SMS and WhatsApp: recorded on the profile, honoured by every send."""

from __future__ import annotations

from chalicelib.config.store_config import load_store_config
from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.messages import Author, iso, utcnow
from dev.fakes.twilio_api import FakeTwilioApi
from dev.seed import DEMO_CUSTOMER_ID
from tests.channels.twilio.twilio_client import (
    AVA,
    conversation_of,
    profile,
    seed_demo,
    sms_form,
    text,
    whatsapp_form,
)
from tests.followups.support import STORE, catalog_events
from tests.harness import Pipeline


def attempt_send(pipeline: Pipeline, conversation: Conversation, words: str) -> str:
    """A proactive message (as a follow-up records it), delivered through the outbox."""
    message = StoredMessage(
        message_id=f"m_followup_{len(conversation.messages)}",
        author=Author.AI,
        text=words,
        created_at=iso(utcnow()),
        status="pending",
    )
    pipeline.services.conversations.add_message(conversation.conversation_id, message)
    return str(pipeline.services.outbox.deliver(conversation, message))


def test_stop_by_sms_opts_out_with_no_reply_and_start_restores(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    text(twilio, sms_form("Stop", "a"))
    twilio.drain()
    assert twilio_api.requests == []
    stored = profile(twilio)
    assert stored["opt_out"] == {"sms": True}
    assert stored["consent"]["sms_marketing"] is False and stored["consent"]["whatsapp"] is True
    conversation = conversation_of(twilio, "sms", AVA)
    assert [(m.author, m.text) for m in conversation.messages] == [("customer", "Stop")]
    assert attempt_send(twilio, conversation, "Still thinking about the linen tee?") == (
        "skipped_opted_out"
    )
    text(twilio, sms_form("where is my order?", "b"))
    twilio.drain()
    assert twilio_api.requests == []
    text(twilio, sms_form("START", "c"))
    twilio.drain()
    assert profile(twilio)["opt_out"] == {"sms": False}
    assert profile(twilio)["consent"]["sms_marketing"] is True
    assert twilio_api.requests == []  # Twilio itself confirms START on SMS
    conversation = conversation_of(twilio, "sms", AVA)
    assert attempt_send(twilio, conversation, "Back in stock!") == "queued"
    assert [m["params"]["Body"] for m in twilio_api.messages] == ["Back in stock!"]


def test_stop_cancels_the_follow_ups_it_now_refuses(twilio: Pipeline) -> None:
    seed_demo(twilio)
    assert twilio.post_json("/events", {"events": catalog_events()}, STORE).status_code == 202
    by_sms, by_email = (p.sku for p in load_store_config().catalog[:2])
    for sku, channel in ((by_sms, "sms"), (by_email, "email")):
        twilio.services.followups.schedule(DEMO_CUSTOMER_ID, sku, channel, "interest_not_bought")
    text(twilio, sms_form("Stop", "a"))
    twilio.drain()
    found = twilio.services.customers.load(DEMO_CUSTOMER_ID).followups
    pending = {f["channel"]: f for f in found}
    assert (pending["sms"]["status"], pending["sms"]["status_reason"]) == ("cancelled", "opted_out")
    assert pending["email"]["status"] == "scheduled"  # STOP by SMS leaves email alone


def test_stop_on_whatsapp_is_confirmed_by_tandem_then_nothing_more_is_sent(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    texts = twilio.services.store_config.texts
    text(twilio, whatsapp_form("unsubscribe", "d"))
    twilio.drain()
    assert [m["params"]["Body"] for m in twilio_api.messages] == [texts.opt_out_confirmation]
    assert profile(twilio)["opt_out"] == {"whatsapp": True}
    assert profile(twilio)["consent"]["whatsapp"] is False
    conversation = conversation_of(twilio, "whatsapp", f"whatsapp:{AVA}")
    assert attempt_send(twilio, conversation, "A new drop!") == "skipped_opted_out"
    text(twilio, whatsapp_form("yes", "e"))
    twilio.drain()
    assert twilio_api.messages[-1]["params"]["Body"] == texts.opt_in_confirmation
    assert profile(twilio)["opt_out"] == {"whatsapp": False}
    assert len(twilio_api.messages) == 2


def test_help_gets_the_store_help_text_and_no_agent_reply(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    text(twilio, sms_form("HELP", "f"))
    twilio.drain()
    help_text = twilio.services.store_config.texts.help
    assert [m["params"]["Body"] for m in twilio_api.messages] == [help_text]
    messages = conversation_of(twilio, "sms", AVA).messages
    assert [(m.author, m.meta.get("keyword")) for m in messages] == [
        ("customer", "help"),
        ("ai", "help"),
    ]


def test_yes_from_a_customer_who_never_opted_out_goes_to_the_agent(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    text(twilio, sms_form("yes", "9"))
    twilio.drain()
    [sent] = twilio_api.messages
    assert "help" in sent["params"]["Body"].lower()
    assert "opt_out" not in profile(twilio)


def test_redelivered_stop_turn_changes_consent_once_and_sends_nothing(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    import json

    seed_demo(twilio)
    text(twilio, whatsapp_form("STOP", "7"))
    queue = twilio.env["INBOUND_QUEUE_URL"]
    body = twilio.sqs().receive_message(QueueUrl=queue)["Messages"][0]["Body"]
    for _ in range(3):
        twilio.services.turns.handle(json.loads(body))
    assert len(twilio_api.messages) == 1
    assert profile(twilio)["opt_out"] == {"whatsapp": True}
