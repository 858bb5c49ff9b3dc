"""One profile per person across SMS, web chat and the store, through the real pipeline on moto."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain.messages import Channel, InboundMessage
from chalicelib.outbox.sending import StoredOnlySender
from dev.seed import identity_token
from tests.commerce.shopify_webhooks import HELPDESK, post_webhook
from tests.harness import Pipeline, start_pipeline

STORE = {"X-Api-Key": "dev-store-key"}
BOB_PHONE = "+15556251199"  # the phone on the fixture's default address


@pytest.fixture
def sms_pipeline(moto_clean: str) -> Iterator[Pipeline]:
    """The pipeline with SMS replies stored only (the Twilio sender is another issue's)."""
    senders = {Channel.SMS: StoredOnlySender(), Channel.WEBCHAT: StoredOnlySender()}
    yield start_pipeline(moto_clean, {"senders": senders})
    bootstrap.reset(None)


def text_in(pipeline: Pipeline, phone: str, text: str, sid: str) -> None:
    """An inbound SMS as the Twilio webhook hands it to ingest, then the worker's turn."""
    message = InboundMessage(
        channel=Channel.SMS,
        source="twilio",
        external_id=sid,
        sender=phone,
        text=text,
        verified=True,
    )
    pipeline.services.ingest.accept(message)
    pipeline.drain()


def chat(pipeline: Pipeline, text: str, **body: str) -> str:
    """Open a web-chat session, say something, let the worker answer; the session id."""
    session = pipeline.post_json("/chat/sessions", body).json_body
    auth = {"Authorization": f"Bearer {session['token']}"}
    path = f"/chat/sessions/{session['session_id']}/messages"
    assert pipeline.post_json(path, {"text": text}, auth).status_code == 202
    pipeline.drain()
    return str(session["session_id"])


def customer(pipeline: Pipeline, path: str) -> dict[str, Any]:
    answer = pipeline.get(path, HELPDESK)
    assert answer.status_code == 200, answer.body
    return dict(answer.json_body)


def test_a_customer_texting_from_their_shopify_phone_is_that_customer(
    sms_pipeline: Pipeline,
) -> None:
    post_webhook(sms_pipeline, "customers/create", "customer")
    post_webhook(sms_pipeline, "orders/create", "order")
    text_in(sms_pipeline, BOB_PHONE, "where is my order?", "SM0001")
    bob = customer(sms_pipeline, "/customers/207119551")
    [conversation] = bob["conversations"]
    assert conversation["channel"] == "sms" and conversation["state"] == "ai"
    assert bob["profile"].get("lead") is False
    loaded = sms_pipeline.services.conversations.load(conversation["conversation_id"])
    assert loaded.customer_id == bob["customer_id"]
    assert "1001" in loaded.messages[-1].text


def test_a_visitor_who_verifies_in_web_chat_becomes_one_profile_with_both_chats(
    pipeline: Pipeline,
) -> None:
    post_webhook(pipeline, "customers/create", "customer")
    anonymous = chat(pipeline, "hi, do you ship to Canada?", visitor_id="browser-7f3a")
    lead_id = pipeline.services.conversations.load(anonymous).customer_id
    token = identity_token(pipeline.env["CHAT_IDENTITY_SECRET"], "207119551")
    verified = chat(pipeline, "where is my order?", visitor_id="browser-7f3a", identity_token=token)
    bob = customer(pipeline, "/customers/207119551")
    chats = {c["conversation_id"]: c for c in bob["conversations"]}
    assert set(chats) == {anonymous, verified}
    assert chats[verified]["verified"] is True and chats[anonymous]["verified"] is False
    assert {"kind": "visitor", "value": "browser-7f3a"} in bob["identities"]
    assert bob["merged_ids"] == [lead_id]
    redirected = customer(pipeline, f"/customers/{lead_id}")
    assert redirected["merged_from"] == lead_id
    assert redirected["customer_id"] == bob["customer_id"] != lead_id


def test_an_sms_lead_whose_phone_the_store_later_names_is_merged_into_the_customer(
    sms_pipeline: Pipeline,
) -> None:
    known = {"customer_id": "6101234567", "email": "ava.lopez@example.com", "first_name": "Ava"}
    event = {"id": "e1", "type": "customer.upserted", "occurred_at": "2026-11-01T00:00:00Z"}
    assert sms_pipeline.post_json("/events", {**event, "data": known}, STORE).status_code == 202
    text_in(sms_pipeline, "+14155550123", "STOP texting me about sales", "SM0002")
    lead = customer(sms_pipeline, "/customers?phone=%2B14155550123")
    assert lead["profile"]["lead"] is True
    post_webhook(sms_pipeline, "customers/update", "customer_with_consent")
    ava = customer(sms_pipeline, "/customers?phone=%2B14155550123")
    assert ava["customer_id"] != lead["customer_id"]
    assert ava["profile"]["store_customer_id"] == "6101234567"
    assert ava["profile"]["lead"] is False and ava["merged_ids"] == [lead["customer_id"]]
    assert [c["channel"] for c in ava["conversations"]] == ["sms"]
    assert ava["consent"]["email_marketing"] is True
    by_old_id = customer(sms_pipeline, f"/customers/{lead['customer_id']}")
    assert by_old_id["customer_id"] == ava["customer_id"]
    assert by_old_id["merged_from"] == lead["customer_id"]


def test_an_anonymous_visitor_typing_an_email_is_not_that_customer(pipeline: Pipeline) -> None:
    post_webhook(pipeline, "customers/create", "customer")
    chat(pipeline, "I am bob.norman@hostmail.com, where is my order?", visitor_id="stranger-1")
    bob = customer(pipeline, "/customers/207119551")
    assert bob["conversations"] == [] and bob["merged_ids"] == []
