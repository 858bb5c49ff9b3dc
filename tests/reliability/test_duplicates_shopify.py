"""Shopify webhooks again, at once and out of order: the newest order state, one cancellation."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chalicelib import bootstrap
from chalicelib.commerce.shopify import map_webhook
from chalicelib.domain.events import parse_event
from chalicelib.domain.messages import iso
from tests.commerce.shopify_webhooks import body_of, edited, post_webhook, webhook_headers
from tests.harness import Pipeline, start_pipeline
from tests.reliability.support import together

STORE = {"X-Api-Key": "dev-store-key"}
CUSTOMER_ID = "6101234567"  # Ava Lopez, the customer of the order fixtures
ORDER_ID = "5501234567"
BOUGHT = "TEE-LINEN-SAND-M"
# Three versions of one order, each its own webhook (id, topic, body), oldest first.
VERSIONS: dict[str, tuple[str, bytes]] = {
    "created": (
        "orders/create",
        edited(
            "order_updated_paid", financial_status="pending", updated_at="2026-11-20T10:02:31-05:00"
        ),
    ),
    "paid": ("orders/updated", body_of("order_updated_paid")),
    "shipped": ("orders/updated", body_of("order_updated_shipped")),
}
NEWEST = "shipped"
BOUNDED = settings(
    max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)


@st.composite
def deliveries(draw: st.DrawFn) -> list[list[str]]:
    """Each version delivered 1-3 times, shuffled, in waves: a wave of one is a plain retry,
    a larger wave is that many deliveries arriving at once."""
    copies = [name for name in VERSIONS for _ in range(draw(st.integers(1, 3)))]
    shuffled = draw(st.permutations(copies))
    waves: list[list[str]] = []
    for name in shuffled:
        joins: bool = draw(st.booleans())
        if waves and joins:
            waves[-1].append(name)
        else:
            waves.append([name])
    return waves


def store_with_followup(moto_url: str) -> Pipeline:
    """A fresh pipeline: Ava from a Shopify customer webhook, and her follow-up about a product."""
    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    bootstrap.reset(None)
    pipeline = start_pipeline(moto_url)
    answer = post_webhook(pipeline, "customers/update", "customer_with_consent", "wh-customer")
    assert answer.json_body["status"] == "applied", answer.body
    product = {
        "sku": BOUGHT,
        "name": "Linen tee (sand, M)",
        "description": "Linen tee.",
        "price": 45,
        "currency": "USD",
        "url": "https://tandem-demo.example/p/linen-tee",
        "categories": ["tops"],
        "in_stock": True,
    }
    event = {"id": "p1", "type": "product.upserted", "occurred_at": "2026-01-01T00:00:00Z"}
    answer = pipeline.post_json("/events", {**event, "data": product}, STORE)
    assert answer.status_code == 202, answer.body
    followup = pipeline.services.followups.schedule(CUSTOMER_ID, BOUGHT, "email", "asked")
    assert followup.status == "scheduled", followup
    return pipeline


def deliver(pipeline: Pipeline, wave: list[str]) -> list[Any]:
    """A wave of one through the API; a larger one as concurrent Lambda invocations."""
    secret = pipeline.env["SHOPIFY_WEBHOOK_SECRET"]
    if len(wave) == 1:
        topic, body = VERSIONS[wave[0]]
        answer = post_webhook(pipeline, topic, "", f"wh-{wave[0]}", body=body)
        assert answer.status_code == 200, answer.body
        return [answer.json_body]
    calls: list[Callable[[], Any]] = []
    for name in wave:
        topic, body = VERSIONS[name]
        headers = webhook_headers(body, topic, secret, f"wh-{name}")
        calls.append(partial(pipeline.services.shopify.receive, headers, body))
    return together(calls)


def count_schedule_deletions(pipeline: Pipeline) -> list[str]:
    """Every DeleteSchedule call the app makes from now on (botocore's event hooks)."""
    deleted: list[str] = []
    client = pipeline.services.followup_parts.schedules.client
    client.meta.events.register(
        "provide-client-params.scheduler.DeleteSchedule",
        lambda params, **_: deleted.append(params["Name"]),
    )
    return deleted


def newest_update() -> str:
    """When the newest version was updated, as an order stores it."""
    topic, body = VERSIONS[NEWEST]
    [event] = map_webhook(topic, "wh", json.loads(body))
    return iso(parse_event(event, internal=True).occurred_at)


def stored_orders(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Ava's order items as stored."""
    return pipeline.services.table.query(f"CUSTOMER#{CUSTOMER_ID}", "ORDER#")


@BOUNDED
@given(waves=deliveries())
@example(waves=[["shipped", "shipped", "paid", "created"], ["paid", "created", "shipped"]])
def test_duplicate_concurrent_and_shuffled_order_webhooks_keep_the_newest_and_cancel_once(
    moto_url: str, waves: list[list[str]]
) -> None:
    pipeline = store_with_followup(moto_url)
    deleted = count_schedule_deletions(pipeline)
    answers = [answer for wave in waves for answer in deliver(pipeline, wave)]
    assert all(isinstance(a, dict) and a["status"] in {"applied", "duplicate"} for a in answers), (
        answers
    )
    [order] = stored_orders(pipeline)
    assert order["order_id"] == ORDER_ID and order["status"] == "shipped", (waves, order)
    assert order["updated_at"] == newest_update(), (waves, order)
    [followup] = pipeline.services.followup_parts.records.pending(CUSTOMER_ID) or [None]
    assert followup is None
    bundle = pipeline.services.customers.load(CUSTOMER_ID)
    cancelled = [e for e in bundle.events if e["type"] == "followup.cancelled"]
    assert len(cancelled) == 1 and len(deleted) == 1, (waves, cancelled, deleted)
