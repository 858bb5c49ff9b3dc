"""Shopify webhooks: the signature check, and every topic mapped onto valid store events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.commerce.shopify import TOPICS, map_webhook, verify_shopify_hmac
from chalicelib.commerce.shopify_mapping import Shop
from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.events import parse_event_batch

OURS = Path(__file__).resolve().parents[1] / "events" / "shopify"
SECRET = "shpss_test_secret"


def resource(name: str) -> dict[str, Any]:
    """A Shopify webhook body: the shared real fixtures, else ours in tests/events/shopify."""
    path = OURS / f"{name}.json"
    return json.loads(path.read_text())


def sign(body: bytes, secret: str = SECRET) -> str:
    """The `X-Shopify-Hmac-Sha256` Shopify sends with `body`."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def mapped(topic: str, name: str, webhook_id: str = "wh-1", **shop: Any) -> list[dict[str, Any]]:
    """The events of a fixture delivered on `topic`, checked against the /events contract."""
    events = map_webhook(topic, webhook_id, resource(name), shop=Shop(**shop))
    for event in events:
        parse_event_batch(event, internal=True)
    return events


def test_a_body_signed_with_the_secret_is_accepted() -> None:
    body = (OURS / "order.json").read_bytes()
    assert verify_shopify_hmac(SECRET, body, sign(body))


@pytest.mark.parametrize(
    "header",
    [None, "", "not base64!!", sign(b"{}"), sign(b'{"id": 1}', "another-secret"), "c2hvcnQ="],
)
def test_a_missing_garbled_or_foreign_signature_is_refused(header: str | None) -> None:
    assert not verify_shopify_hmac(SECRET, b'{"id": 1}', header)


def test_a_tampered_body_is_refused() -> None:
    body = (OURS / "order.json").read_bytes()
    assert not verify_shopify_hmac(SECRET, body.replace(b"409.94", b"0.01"), sign(body))


def test_no_secret_configured_refuses_everything() -> None:
    assert not verify_shopify_hmac("", b"{}", sign(b"{}", ""))


CASES = [
    ("customers/create", "customer"),
    ("customers/update", "customer_with_consent"),
    ("orders/create", "order"),
    ("orders/updated", "order_updated_shipped"),
    ("orders/paid", "order_updated_paid"),
    ("orders/cancelled", "order"),
    ("orders/fulfilled", "order_updated_shipped"),
    ("fulfillments/create", "fulfillment"),
    ("fulfillments/update", "fulfillment_update_delivered"),
    ("checkouts/create", "checkout_abandoned"),
    ("checkouts/update", "checkout_abandoned"),
    ("products/create", "product"),
    ("products/update", "product_several_variants"),
    ("refunds/create", "refund_created"),
]


def test_every_documented_topic_has_a_case() -> None:
    assert sorted(topic for topic, _ in CASES) == sorted(TOPICS)


@pytest.mark.parametrize(("topic", "name"), CASES)
def test_every_topic_maps_to_contract_events_with_stable_ids(topic: str, name: str) -> None:
    events = mapped(topic, name, "b2f1c3d4-0000-4a5b-9c8d-7e6f5a4b3c2d")
    assert events and mapped(topic, name, "b2f1c3d4-0000-4a5b-9c8d-7e6f5a4b3c2d") == events
    assert [e["id"] for e in events] == [
        f"shopify:b2f1c3d4-0000-4a5b-9c8d-7e6f5a4b3c2d:{i}" for i in range(len(events))
    ]
    assert mapped(topic, name, "another-delivery")[0]["id"] != events[0]["id"]


def test_a_customer_keeps_shopify_id_email_phone_and_consent() -> None:
    (event,) = mapped("customers/update", "customer_with_consent")
    assert event["type"] == "customer.upserted"
    assert event["occurred_at"] == "2026-11-18T13:02:11+00:00"
    assert event["data"] == {
        "customer_id": "6101234567",
        "email": "ava.lopez@example.com",
        "phone": "+14155550123",
        "first_name": "Ava",
        "last_name": "Lopez",
        "consent": {"email_marketing": True, "sms_marketing": False, "whatsapp": None},
    }


def test_a_customer_without_a_phone_gets_the_one_of_the_default_address() -> None:
    (event,) = mapped("customers/create", "customer")
    assert event["data"]["phone"] == "+15556251199"
    assert event["data"]["consent"]["email_marketing"] is False  # legacy accepts_marketing


def test_an_order_carries_its_number_customer_lines_and_money() -> None:
    (event,) = mapped("orders/create", "order")
    data = event["data"]
    assert (data["order_id"], data["order_number"], data["status"]) == (
        "450789469",
        "1001",
        "placed",
    )
    assert data["customer"] == {"customer_id": "207119551", "email": "bob.norman@hostmail.com"}
    assert data["placed_at"] == "2008-01-10T16:00:00+00:00"
    assert data["items"][0] == {
        "sku": "IPOD2008GREEN",
        "name": "IPod Nano - 8gb - green",
        "quantity": 1,
        "price": 199.0,
    }
    assert (data["total"], data["currency"]) == (409.94, "USD")
    assert "shipment" not in data  # its only fulfillment failed


def test_a_shipped_order_is_newer_than_the_paid_one_and_carries_tracking() -> None:
    (paid,) = mapped("orders/updated", "order_updated_paid")
    (shipped,) = mapped("orders/updated", "order_updated_shipped")
    assert paid["data"]["status"] == "processing" and shipped["data"]["status"] == "shipped"
    assert paid["occurred_at"] < shipped["occurred_at"]
    assert shipped["data"]["shipment"]["carrier"] == "UPS"
    assert shipped["data"]["shipment"]["tracking_number"] == "1Z999AA10123456784"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"cancelled_at": "2026-11-20T11:00:00-05:00", "cancel_reason": "customer"}, "cancelled"),
        ({"financial_status": "refunded"}, "returned"),
        ({"financial_status": "pending"}, "placed"),
    ],
)
def test_order_status_follows_cancellation_and_payment(change: dict[str, Any], status: str) -> None:
    order = {**resource("order_updated_paid"), **change}
    (event,) = map_webhook("orders/updated", "wh-1", order)
    assert event["data"]["status"] == status


def test_an_order_is_delivered_only_when_every_parcel_is() -> None:
    order = resource("order_updated_shipped")
    parcel = order["fulfillments"][0]
    order["fulfillments"] = [{**parcel, "shipment_status": "delivered"}, parcel]
    (event,) = map_webhook("orders/updated", "wh-1", order)
    assert event["data"]["status"] == "shipped"


def test_a_fulfillment_update_is_a_shipment_update_of_its_order() -> None:
    (event,) = mapped("fulfillments/update", "fulfillment_update_delivered")
    assert event["type"] == "order.shipment_updated"
    assert event["data"]["order_id"] == "5501234567" and event["data"]["status"] == "delivered"
    assert event["data"]["shipment"]["tracking_url"].startswith("https://www.ups.com/")


def test_a_pending_fulfillment_gives_tracking_without_moving_the_status() -> None:
    (event,) = mapped("fulfillments/create", "fulfillment")
    assert "status" not in event["data"]
    assert event["data"]["shipment"]["tracking_number"] == "1Z2345"


def test_a_cancelled_fulfillment_maps_to_nothing() -> None:
    fulfillment = {**resource("fulfillment"), "status": "cancelled"}
    assert map_webhook("fulfillments/update", "wh-1", fulfillment) == []


def test_an_abandoned_checkout_is_the_customers_cart_with_its_recovery_url() -> None:
    (event,) = mapped("checkouts/update", "checkout_abandoned")
    data = event["data"]
    assert data["customer"]["email"] == "ava.lopez@example.com"
    assert data["items"] == [
        {"sku": "TEE-LINEN-SAND-M", "name": "Linen tee - Sand / M", "quantity": 2, "price": 30.0}
    ]
    assert (data["total"], data["currency"]) == (64.8, "USD")
    assert data["checkout_url"].endswith("/recover?key=0123456789abcdef")


def test_a_completed_checkout_empties_the_cart() -> None:
    checkout = {**resource("checkout_abandoned"), "completed_at": "2026-11-20T10:02:31-05:00"}
    (event,) = map_webhook("checkouts/update", "wh-1", checkout)
    assert event["data"]["items"] == [] and event["data"]["total"] == 0


def test_an_anonymous_checkout_maps_to_nothing() -> None:
    checkout = {**resource("checkout_abandoned"), "email": None, "customer": None}
    assert map_webhook("checkouts/create", "wh-1", checkout) == []


def test_a_product_becomes_one_catalog_entry_per_variant() -> None:
    events = mapped("products/update", "product_several_variants", domain="shop.example")
    products = {e["data"]["sku"]: e["data"] for e in events}
    assert set(products) == {"TEE-LINEN-SAND-M", "TEE-LINEN-NAVY-M", "TEE-LINEN-NAVY-L", "49148388"}
    sand = products["TEE-LINEN-SAND-M"]
    assert sand["name"] == "Linen tee - Sand / M"
    assert sand["description"] == "Breathable linen tee. 100% linen Made in Portugal & dyed by hand"
    assert sand["url"] == "https://shop.example/products/linen-tee?variant=49148385"
    assert sand["categories"] == ["Tees", "summer", "linen"]
    assert [products[s]["in_stock"] for s in sorted(products)] == [True, True, False, True]
    assert events[0]["occurred_at"] == "2026-11-20T13:00:00+00:00"  # the variant changed later


def test_a_draft_product_is_not_in_stock() -> None:
    product = {**resource("product"), "status": "draft"}
    assert not any(e["data"]["in_stock"] for e in map_webhook("products/create", "wh-1", product))


@pytest.mark.parametrize(
    ("topic", "webhook_id", "payload", "field"),
    [
        ("orders/deleted", "wh-1", {"id": 1}, "X-Shopify-Topic"),
        ("customers/create", " ", {"id": 1}, "X-Shopify-Webhook-Id"),
        ("customers/create", "wh-1", {"email": "a@b.co"}, "id"),
        ("customers/create", "wh-1", {"id": 1}, "updated_at"),
        ("fulfillments/create", "wh-1", {"id": 1, "status": "success"}, "order_id"),
    ],
)
def test_an_unusable_webhook_is_a_bad_request_naming_the_field(
    topic: str, webhook_id: str, payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(BadRequestError) as refused:
        map_webhook(topic, webhook_id, payload)
    assert refused.value.field == field


def test_an_order_with_an_unreadable_price_names_the_line() -> None:
    order = resource("order")
    order["line_items"][1]["price"] = "free"
    with pytest.raises(BadRequestError) as refused:
        map_webhook("orders/create", "wh-1", order)
    assert refused.value.field == "line_items[1].price"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def mutated(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """A fixture with some of its top-level fields replaced by arbitrary JSON."""
    body = resource(name)
    changes = st.dictionaries(st.sampled_from(sorted(body)), json_values, max_size=4)
    return changes.map(lambda change: {**body, **change})


@settings(max_examples=400, deadline=None)
@given(
    case=st.sampled_from(CASES).flatmap(lambda case: st.tuples(st.just(case[0]), mutated(case[1])))
    | st.tuples(st.sampled_from(sorted(TOPICS)), st.dictionaries(st.text(), json_values))
)
def test_arbitrary_payloads_map_to_valid_events_or_a_bad_request(
    case: tuple[str, dict[str, Any]],
) -> None:
    topic, payload = case
    try:
        events = map_webhook(topic, "wh-1", payload)
    except BadRequestError as refused:
        assert refused.field
        return
    for event in events:
        parse_event_batch(event, internal=True)
