"""On the running local stack (`make run`): Shopify-signed webhooks make the profile show tracking."""

from __future__ import annotations

from typing import Any

import requests

from dev.stack import LOCAL_DEFAULTS
from tests.commerce.shopify_webhooks import HELPDESK, body_of, edited, webhook_headers
from tests.harness import RunningStack

SECRET = LOCAL_DEFAULTS["SHOPIFY_WEBHOOK_SECRET"]


def deliver(stack: RunningStack, topic: str, body: bytes, webhook_id: str) -> Any:
    headers = webhook_headers(body, topic, SECRET, webhook_id)
    return requests.post(
        f"{stack.api_url}/webhooks/shopify", data=body, headers=headers, timeout=30
    )


def bob(stack: RunningStack) -> Any:
    params = {"email": "bob.norman@hostmail.com"}
    return requests.get(f"{stack.api_url}/customers", params=params, headers=HELPDESK, timeout=30)


def test_signed_webhooks_show_the_order_with_tracking_on_the_running_stack(
    local_stack: RunningStack,
) -> None:
    forged = {**webhook_headers(body_of("customer"), "customers/create", "wrong", "st-0")}
    refused = requests.post(
        f"{local_stack.api_url}/webhooks/shopify",
        data=body_of("customer"),
        headers=forged,
        timeout=30,
    )
    assert refused.status_code == 401 and bob(local_stack).status_code == 404
    for index, (topic, name) in enumerate(
        [
            ("customers/create", "customer"),
            ("orders/create", "order"),
            ("fulfillments/create", "fulfillment"),
        ]
    ):
        answer = deliver(local_stack, topic, body_of(name), f"st-{index + 1}")
        assert answer.status_code == 200 and answer.json()["status"] == "applied", answer.text
    again = deliver(local_stack, "orders/create", body_of("order"), "st-2")
    assert again.json()["status"] == "duplicate"
    older = edited("order", updated_at="2007-01-01T00:00:00-05:00", total_price="1.00")
    assert deliver(local_stack, "orders/updated", older, "st-9").status_code == 200
    profile = bob(local_stack).json()
    [order] = profile["orders"]
    assert order["order_number"] == "1001" and order["total"] == 409.94
    assert order["shipment"]["tracking_number"] == "1Z2345"
