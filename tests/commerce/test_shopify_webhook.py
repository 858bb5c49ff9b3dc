"""POST /webhooks/shopify end to end on moto server: signed real payloads change the profile once."""

from __future__ import annotations

from typing import Any

from chalicelib.commerce.shopify_webhook import MAX_WEBHOOK_BYTES
from tests.commerce.shopify_webhooks import HELPDESK, body_of, edited, post_webhook, sign
from tests.harness import Pipeline

BOB = "/customers?email=bob.norman@hostmail.com"
AVA = "/customers?email=ava.lopez@example.com"


def profile(pipeline: Pipeline, path: str) -> dict[str, Any]:
    response = pipeline.get(path, HELPDESK)
    assert response.status_code == 200, response.body
    return dict(response.json_body)


def test_customer_order_and_fulfillment_webhooks_show_the_order_with_its_tracking(
    pipeline: Pipeline,
) -> None:
    for topic, name in [
        ("customers/create", "customer"),
        ("orders/create", "order"),
        ("fulfillments/create", "fulfillment"),
    ]:
        answer = post_webhook(pipeline, topic, name)
        assert answer.status_code == 200, answer.body
        assert answer.json_body["status"] == "applied"
    bob = profile(pipeline, BOB)
    assert bob["profile"]["store_customer_id"] == "207119551"
    assert {"kind": "phone", "value": "+15556251199"} in bob["identities"]
    [order] = bob["orders"]
    assert order["order_number"] == "1001" and order["total"] == 409.94
    assert order["shipment"]["tracking_number"] == "1Z2345"
    assert order["shipment"]["tracking_url"] == "http://www.google.com/search?q=1Z2345"


def test_a_bad_signature_is_401_and_changes_nothing(pipeline: Pipeline) -> None:
    body = body_of("customer")
    headers = {"X-Shopify-Topic": "customers/create", "X-Shopify-Webhook-Id": "wh-bad"}
    for signature in (sign(body, "not-the-secret"), "", "garbage!!"):
        headers["X-Shopify-Hmac-Sha256"] = signature
        answer = pipeline.client.http.post("/webhooks/shopify", headers=headers, body=body)
        assert answer.status_code == 401
        assert answer.json_body["error"]["code"] == "unauthorized"
    assert pipeline.get(BOB, HELPDESK).status_code == 404
    # the refused delivery was not recorded: Shopify's own delivery of that id still applies
    assert post_webhook(pipeline, "customers/create", "customer", "wh-bad").status_code == 200
    assert profile(pipeline, BOB)["profile"]["first_name"] == "Bob"


def test_the_same_webhook_id_twice_is_applied_once(pipeline: Pipeline) -> None:
    first = post_webhook(pipeline, "orders/create", "order", "wh-1")
    changed = edited("order", total_price="1.00", updated_at="2030-01-01T00:00:00Z")
    again = post_webhook(pipeline, "orders/create", "order", "wh-1", body=changed)
    assert first.json_body["accepted"] == 1
    assert again.status_code == 200 and again.json_body["status"] == "duplicate"
    [order] = profile(pipeline, BOB)["orders"]
    assert order["total"] == 409.94


def test_an_older_orders_updated_after_a_newer_one_changes_nothing(pipeline: Pipeline) -> None:
    post_webhook(pipeline, "orders/updated", "order_updated_shipped")
    before = profile(pipeline, AVA)["orders"]
    older = post_webhook(pipeline, "orders/updated", "order_updated_paid")
    assert older.status_code == 200
    after = profile(pipeline, AVA)["orders"]
    assert after == before and after[0]["status"] == "shipped"


def test_the_same_moment_twice_is_not_refused(pipeline: Pipeline) -> None:
    post_webhook(pipeline, "orders/updated", "order_updated_shipped")
    same_time = edited("order_updated_shipped", note="gift wrap", total_price="99.00")
    post_webhook(pipeline, "orders/updated", "order_updated_shipped", body=same_time)
    assert profile(pipeline, AVA)["orders"][0]["total"] == 99.0


def test_a_fulfillment_before_its_order_is_applied_when_the_order_lands(
    pipeline: Pipeline,
) -> None:
    early = post_webhook(pipeline, "fulfillments/update", "fulfillment_update_delivered")
    assert early.json_body["status"] == "applied"
    post_webhook(pipeline, "orders/updated", "order_updated_paid")
    [order] = profile(pipeline, AVA)["orders"]
    assert order["status"] == "delivered"
    assert order["shipment"]["tracking_number"] == "1Z999AA10123456784"


def test_products_fill_the_catalog(pipeline: Pipeline) -> None:
    assert post_webhook(pipeline, "products/create", "product").json_body["accepted"] == 4
    product = pipeline.services.catalog.get("IPOD2008GREEN")
    assert product["name"] == "IPod Nano - 8GB - Green" and product["in_stock"] is True
    assert product["url"].startswith("https://northwind.myshopify.com/products/ipod-nano")


def test_unknown_topics_and_unusable_payloads_are_acknowledged_and_ignored(
    pipeline: Pipeline,
) -> None:
    unknown = post_webhook(pipeline, "app/uninstalled", "customer")
    assert unknown.status_code == 200 and unknown.json_body["status"] == "ignored"
    assert unknown.json_body["reason"]["field"] == "X-Shopify-Topic"
    no_id = edited("order", id=None)
    broken = post_webhook(pipeline, "orders/create", "order", body=no_id)
    assert broken.json_body["status"] == "ignored" and broken.json_body["reason"]["field"] == "id"
    not_json = post_webhook(pipeline, "orders/create", "order", body=b"<xml/>")
    assert not_json.status_code == 200 and not_json.json_body["status"] == "ignored"
    assert pipeline.get(BOB, HELPDESK).status_code == 404


def test_an_oversized_body_is_413(pipeline: Pipeline) -> None:
    body = b'{"pad": "' + b"x" * MAX_WEBHOOK_BYTES + b'"}'
    answer = post_webhook(pipeline, "orders/create", "order", body=body)
    assert answer.status_code == 413
    assert answer.json_body["error"]["code"] == "payload_too_large"
