"""Inbound SMS and WhatsApp end to end: signed webhook -> queue -> agent -> Twilio REST, once."""

from __future__ import annotations

import threading
from datetime import timedelta

from chalicelib.domain.conversations import StoredMessage
from chalicelib.domain.messages import Author, iso, utcnow
from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import (
    AVA,
    conversation_of,
    post_form,
    seed_demo,
    signature,
    sms_form,
    stored_items,
    text,
    whatsapp_form,
)
from tests.harness import Pipeline

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def test_known_customer_asking_about_their_order_by_sms_gets_one_reply(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    answer = text(twilio, sms_form("Where is my order #1001?"))
    assert answer.status_code == 200
    assert answer.body.decode() == TWIML
    assert answer.headers["Content-Type"] == "text/xml"
    twilio.drain()
    [sent] = twilio_api.messages
    params = sent["params"]
    assert (params["To"], params["From"]) == (AVA, twilio.env["TWILIO_SMS_FROM"])
    assert "1001" in params["Body"] and "shipped" in params["Body"] and "UPS" in params["Body"]
    status_url = twilio.env["PUBLIC_BASE_URL"] + "/webhooks/twilio/status"
    assert params["StatusCallback"] == status_url
    reply = conversation_of(twilio, "sms", AVA).messages[-1]
    assert (reply.author, reply.status) == (Author.AI, "queued")
    assert reply.model_dump()["meta"]["intent"] == "order_status"


def test_duplicate_twilio_delivery_sends_one_reply(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    form = sms_form("where is my order?")
    for _ in range(3):
        assert text(twilio, form).status_code == 200
    threads = [threading.Thread(target=text, args=(twilio, form)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    twilio.drain()
    twilio.drain()
    assert len(twilio_api.messages) == 1
    assert [m.author for m in conversation_of(twilio, "sms", AVA).messages] == ["customer", "ai"]


def test_redelivery_with_the_same_idempotency_token_is_acknowledged(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    form = sms_form("hello")
    token = {"I-Twilio-Idempotency-Token": "b2c1f0d4-idem"}
    for _ in range(2):
        assert post_form(twilio, "/webhooks/twilio", form, **token).status_code == 200
    assert twilio.drain() == 1


def test_forged_tampered_or_wrong_url_signatures_get_403_and_store_nothing(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    form = sms_form("Where is my order #1001?")
    tampered = {**form, "Body": "Refund me $500"}
    wrong_url = signature(twilio, "", form, url="https://evil.example/webhooks/twilio")
    cases = [
        (form, "bm90LWEtc2lnbmF0dXJl"),
        (tampered, signature(twilio, "/webhooks/twilio", form)),
        (form, wrong_url),
        (form, signature(twilio, "/webhooks/twilio/status", form)),
    ]
    for posted, sig in cases:
        answer = post_form(twilio, "/webhooks/twilio", posted, sig)
        assert answer.status_code == 403, posted
        assert answer.json_body["error"]["code"] == "forbidden"
    missing = twilio.client.http.post(
        "/webhooks/twilio",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body="From=%2B14155550123",
    )
    assert missing.status_code == 403
    assert stored_items(twilio) == []
    assert twilio.drain() == 0 and twilio_api.requests == []


def test_signature_over_the_443_variant_of_the_public_url_is_accepted(twilio: Pipeline) -> None:
    form = sms_form("hi")
    base = "https://abc123.execute-api.us-east-1.amazonaws.com/api"
    twilio.services.twilio_webhooks.public_base_url = base
    sig = signature(twilio, "", form, url=base.replace(".com/", ".com:443/") + "/webhooks/twilio")
    assert post_form(twilio, "/webhooks/twilio", form, sig).status_code == 200


def test_whatsapp_message_gets_a_free_form_reply_inside_the_window(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    assert text(twilio, whatsapp_form("Where is my order?")).status_code == 200
    twilio.drain()
    [sent] = twilio_api.messages
    params = sent["params"]
    assert params["To"] == f"whatsapp:{AVA}"
    assert params["From"] == twilio.env["TWILIO_WHATSAPP_FROM"]
    assert "1001" in params["Body"] and "ContentSid" not in params
    conversation = conversation_of(twilio, "whatsapp", f"whatsapp:{AVA}")
    assert conversation.last_customer_at is not None


def test_whatsapp_outside_the_24_hour_window_sends_the_reply_template(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    text(twilio, whatsapp_form("Where is my order?"))
    twilio.drain()
    conversation = conversation_of(twilio, "whatsapp", f"whatsapp:{AVA}")
    long_ago = iso(utcnow() - timedelta(hours=25))
    twilio.services.conversations.update_meta(
        conversation.conversation_id, last_customer_at=long_ago
    )
    conversation = conversation_of(twilio, "whatsapp", f"whatsapp:{AVA}")
    reply = StoredMessage(
        message_id="m_human_1",
        author=Author.HUMAN,
        text="Good news:\nyour refund went through.",
        created_at=iso(utcnow()),
        status="pending",
    )
    twilio.services.conversations.add_message(conversation.conversation_id, reply)
    assert twilio.services.outbox.deliver(conversation, reply) == "queued"
    params = twilio_api.messages[-1]["params"]
    template = twilio.services.store_config.whatsapp_templates.reply
    assert params["ContentSid"] == template.content_sid and "Body" not in params
    variables = '{"1": "Ava", "2": "Good news: your refund went through."}'
    assert params["ContentVariables"] == variables


def test_mms_media_is_recorded_on_the_message_and_never_fetched(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    from tests.channels.twilio.events import load_form

    form = load_form("inbound_mms_two_media")
    assert text(twilio, form).status_code == 200
    twilio.drain()
    sender = form["From"]
    [first, *_] = conversation_of(twilio, "sms", sender).messages
    assert len(first.attachments) == 2
    assert all(a["url"].startswith("https://api.twilio.com/") for a in first.attachments)
