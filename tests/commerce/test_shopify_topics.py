"""Shopify topics a store expects, signed as Shopify signs them, against its documented payloads."""

from __future__ import annotations

import json

from tests.commerce.shopify_webhooks import body_of, edited, webhook_headers
from tests.harness import Pipeline

CUSTOMER_ID = "207119551"  # the shared customer fixture's id


def post(pipeline: Pipeline, topic: str, body: bytes, **extra: str) -> dict[str, object]:
    headers = webhook_headers(body, topic, pipeline.env["SHOPIFY_WEBHOOK_SECRET"])
    answer = pipeline.client.http.post("/webhooks/shopify", headers={**headers, **extra}, body=body)
    assert answer.status_code == 200, answer.body
    return dict(answer.json_body)


def test_a_customer_update_without_updated_at_is_applied_at_its_trigger_time(
    pipeline: Pipeline,
) -> None:
    created = edited("customer", updated_at="2015-06-01T10:00:00-04:00")
    assert post(pipeline, "customers/create", created)["status"] == "applied"
    update = edited("customer", updated_at=None, created_at=None, first_name="Roberta")
    answer = post(
        pipeline, "customers/update", update, **{"X-Shopify-Triggered-At": "2026-12-07T02:00:00Z"}
    )
    assert answer["status"] == "applied", answer
    profile = pipeline.services.customers.load(CUSTOMER_ID).profile
    assert profile["first_name"] == "Roberta"


def order_of(pipeline: Pipeline) -> dict[str, object]:
    [order] = [o for o in pipeline.services.customers.load(CUSTOMER_ID).orders_newest_first()]
    return order.model_dump(mode="json")


def test_orders_cancelled_and_fulfilled_update_the_order(pipeline: Pipeline) -> None:
    assert post(pipeline, "orders/create", body_of("order"))["status"] == "applied"
    fulfilled = edited("order", fulfillment_status="fulfilled", updated_at="2008-01-11T10:00:00Z")
    assert post(pipeline, "orders/fulfilled", fulfilled)["status"] == "applied"
    assert order_of(pipeline)["status"] == "shipped"
    cancelled = edited(
        "order",
        cancelled_at="2008-01-12T10:00:00Z",
        cancel_reason="customer",
        updated_at="2008-01-12T10:00:00Z",
    )
    assert post(pipeline, "orders/cancelled", cancelled)["status"] == "applied"
    assert order_of(pipeline)["status"] == "cancelled"


def test_checkouts_create_and_update_keep_the_open_cart(pipeline: Pipeline) -> None:
    assert post(pipeline, "checkouts/create", body_of("checkout_abandoned"))["status"] == "applied"
    later = edited("checkout_abandoned", updated_at="2030-01-01T00:00:00Z", total_price="1.00")
    assert post(pipeline, "checkouts/update", later)["status"] == "applied"
    checkout = json.loads(body_of("checkout_abandoned"))
    customer_id = str(checkout["customer"]["id"])
    cart = pipeline.services.customers.load(customer_id).cart
    assert cart and cart["checkout_url"] and float(cart["total"]) == 1.0


def test_a_refund_is_recorded_on_its_order(pipeline: Pipeline) -> None:
    assert post(pipeline, "orders/create", body_of("order"))["status"] == "applied"
    answer = post(pipeline, "refunds/create", body_of("refund_created"))
    assert answer["status"] == "applied", answer
    [refund] = order_of(pipeline)["refunds"]  # type: ignore[misc]
    assert refund["refund_id"] == "929361462" and float(refund["amount"]) == 199.0
    assert refund["currency"] == "USD" and refund["note"] == "Arrived scratched"
    again = post(pipeline, "refunds/create", body_of("refund_created"))
    assert again["status"] in ("applied", "duplicate")
    assert len(order_of(pipeline)["refunds"]) == 1  # type: ignore[arg-type]
