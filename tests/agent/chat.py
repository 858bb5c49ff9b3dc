"""Web-chat helpers for agent tests: a shopper's session whose stored AI replies can be inspected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.conversations import StoredMessage
from dev.seed import DEMO_CUSTOMER_ID, demo_events, identity_token
from tests.harness import Pipeline

STORE = {"X-Api-Key": "dev-store-key"}
HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}


@dataclass
class Chat:
    """One web-chat session of a shopper (verified when opened with an identity token)."""

    pipeline: Pipeline
    session_id: str
    token: str

    def say(self, text: str) -> StoredMessage:
        """Send a message, run the agent worker, return the AI's stored reply (tools, meta...)."""
        auth = {"Authorization": f"Bearer {self.token}"}
        path = f"/chat/sessions/{self.session_id}/messages"
        sent = self.pipeline.post_json(path, {"text": text}, auth)
        assert sent.status_code == 202, sent.body
        self.pipeline.drain()
        conversation = self.pipeline.services.conversations.load(self.session_id)
        return [m for m in conversation.messages if m.author.value != "customer"][-1]


def open_chat(pipeline: Pipeline, customer_id: str | None = DEMO_CUSTOMER_ID) -> Chat:
    """A chat session: verified as `customer_id`, anonymous when None."""
    body = {}
    if customer_id:
        body["identity_token"] = identity_token(pipeline.env["CHAT_IDENTITY_SECRET"], customer_id)
    opened = pipeline.post_json("/chat/sessions", body).json_body
    return Chat(pipeline, opened["session_id"], opened["token"])


def post_events(pipeline: Pipeline, events: list[dict[str, Any]]) -> None:
    """Apply store events through `POST /events`."""
    response = pipeline.post_json("/events", {"events": events}, STORE)
    assert response.status_code == 202, response.body


def event(kind: str, data: dict[str, Any], event_id: str) -> dict[str, Any]:
    """One store event, happening now."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"id": event_id, "type": kind, "occurred_at": now, "data": data}


def cart(customer_id: str, total: float) -> dict[str, Any]:
    """A `cart.updated` event with one item worth `total`."""
    items = [{"sku": "DRESS-WRAP-GRN", "name": "Wrap dress", "quantity": 1, "price": total}]
    data = {"customer": {"customer_id": customer_id}, "items": items, "total": total}
    data.update(currency="USD", checkout_url="https://northwind-threads.example/cart")
    return event("cart.updated", data, f"cart-{customer_id}-{total}")


def other_customer() -> list[dict[str, Any]]:
    """Bob, another customer, whose data must never reach Ava's replies."""
    bob = {"customer_id": "cust-bob"}
    profile = {**bob, "email": "bob@example.com", "first_name": "Bob", "last_name": "Stone"}
    order = {
        "order_id": "o-2002",
        "order_number": "2002",
        "customer": bob,
        "status": "shipped",
        "placed_at": "2026-01-02T10:00:00Z",
        "items": [{"sku": "JACKET-DEN-IND", "name": "Denim jacket", "quantity": 1, "price": 98}],
        "total": 98,
        "currency": "USD",
        "shipment": {"carrier": "FedEx", "tracking_number": "FX77700011", "tracking_url": None},
    }
    return [
        event("customer.upserted", profile, "bob-profile"),
        event("order.upserted", order, "bob-order"),
    ]


def demo_shop(pipeline: Pipeline, *extra: dict[str, Any]) -> None:
    """The store config's articles and catalog, Ava with her orders, Bob, and any extra events."""
    from tests.harness import seed_store

    seed_store(pipeline)
    post_events(pipeline, [*demo_events(), *other_customer(), *extra])


def codes(reply: StoredMessage) -> list[str]:
    """The escalation reason codes recorded on a stored reply."""
    escalation = reply.meta.get("escalation") or {}
    return [reason["code"] for reason in escalation.get("reasons", [])]
