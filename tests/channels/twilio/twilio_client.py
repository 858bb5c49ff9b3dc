"""Posting Twilio webhooks as Twilio does (signed with the library's own algorithm), and reading back."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from chalicelib.domain.conversations import Conversation
from dev.seed import DEMO_CUSTOMER_ID, demo_events
from tests.channels.twilio.events import load_form
from tests.harness import Pipeline

STORE = {"X-Api-Key": "dev-store-key"}
AVA = "+14155550123"
FORM = "application/x-www-form-urlencoded; charset=UTF-8"  # as Twilio posts it


def seed_demo(pipeline: Pipeline) -> None:
    """The demo store's customer (Ava, +14155550123) and her orders, through POST /events."""
    assert pipeline.post_json("/events", {"events": demo_events()}, STORE).status_code == 202


def sms_form(body: str, sid_digit: str = "1", sender: str = AVA) -> dict[str, str]:
    """A real-shaped inbound SMS form with its own MessageSid."""
    sid = "SM" + sid_digit * 32
    form = load_form("inbound_sms")
    form.update(Body=body, From=sender, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid)
    return form


def whatsapp_form(body: str, sid_digit: str = "2", sender: str = AVA) -> dict[str, str]:
    """A real-shaped inbound WhatsApp form with its own MessageSid."""
    sid = "SM" + sid_digit * 32
    form = load_form("inbound_whatsapp")
    form.update(Body=body, From=f"whatsapp:{sender}", MessageSid=sid, SmsSid=sid)
    return form


def signature(pipeline: Pipeline, path: str, form: dict[str, str], url: str | None = None) -> str:
    """X-Twilio-Signature for `form` posted to the public URL (or `url`)."""
    signed_url = url or pipeline.env["PUBLIC_BASE_URL"] + path
    token = pipeline.env["TWILIO_AUTH_TOKEN"]
    return str(RequestValidator(token).compute_signature(signed_url, form))


def post_form(
    pipeline: Pipeline, path: str, form: dict[str, str], sig: str | None = None, **headers: str
) -> Any:
    """POST a Twilio form through the API, signed unless `sig` is given."""
    given = {"Content-Type": FORM, "X-Twilio-Signature": sig or signature(pipeline, path, form)}
    return pipeline.client.http.post(path, headers={**given, **headers}, body=urlencode(form))


def text(pipeline: Pipeline, form: dict[str, str]) -> Any:
    """Deliver an inbound message webhook, signed."""
    return post_form(pipeline, "/webhooks/twilio", form)


def conversation_of(pipeline: Pipeline, channel: str, address: str) -> Conversation:
    """The customer's conversation on a channel address."""
    customer_id = pipeline.services.customers.resolve("phone", address.removeprefix("whatsapp:"))
    bundle = pipeline.services.customers.load(customer_id or DEMO_CUSTOMER_ID)
    conversation_id = bundle.threads[f"{channel}#{address}"]
    found = pipeline.services.conversations.load(conversation_id)
    assert found is not None
    return found


def profile(pipeline: Pipeline, phone: str = AVA) -> dict[str, Any]:
    """The stored profile of the customer with this phone number."""
    customer_id = pipeline.services.customers.resolve("phone", phone)
    assert customer_id is not None
    return pipeline.services.customers.load(customer_id).profile


def stored_items(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Every item of the table (to prove that nothing was stored)."""
    from chalicelib.store.table import untyped

    table = pipeline.services.table
    return [untyped(item) for item in table.client.scan(TableName=table.name)["Items"]]
