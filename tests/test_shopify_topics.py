"""Shopify topics a store expects, signed as Shopify signs them, against its documented payloads."""

from __future__ import annotations

from tests.harness import Pipeline
from tests.shopify_webhooks import edited, webhook_headers

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
