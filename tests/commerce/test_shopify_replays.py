"""Replayed, re-topicked and foreign-shop Shopify webhooks through POST /webhooks/shopify on moto.

Each body is signed with the real secret: these are what someone holding an old genuine delivery
(or another shop of the same app) can post, not forgeries.
"""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.messages import Channel
from chalicelib.followups.unsubscribe import unsubscribe_token
from tests.commerce.shopify_webhooks import HELPDESK, body_of, edited, post_webhook, webhook_headers
from tests.harness import Pipeline

AVA = "/customers?email=ava.lopez@example.com"
STORE = {"X-Api-Key": "dev-store-key"}
OLD = "2026-11-18T08:02:11-05:00"
NEW = "2026-11-20T09:00:00-05:00"


def profile(pipeline: Pipeline) -> dict[str, Any]:
    answer = pipeline.get(AVA, HELPDESK)
    assert answer.status_code == 200, answer.body
    return dict(answer.json_body["profile"])


def customer(updated_at: str, first_name: str, email_state: str) -> bytes:
    """Ava's customers/update body at a moment, with a name and an email consent state."""
    consent = {"state": email_state, "opt_in_level": "single_opt_in"}
    return edited(
        "customer_with_consent",
        updated_at=updated_at,
        first_name=first_name,
        email_marketing_consent=consent,
    )


def test_a_replayed_older_customer_update_reverts_nothing(pipeline: Pipeline) -> None:
    old = customer(OLD, "Ava", "subscribed")
    post_webhook(pipeline, "customers/update", "", "wh-old", body=old)
    post_webhook(
        pipeline, "customers/update", "", "wh-new", body=customer(NEW, "Avery", "unsubscribed")
    )
    for replay_id in ("wh-replay-1", None):  # a new webhook id, or none (a digest of the body)
        answer = post_webhook(pipeline, "customers/update", "", replay_id, body=old)
        assert answer.status_code == 200
    stored = profile(pipeline)
    assert stored["first_name"] == "Avery"
    assert stored["consent"]["email_marketing"] is False


def test_an_older_store_event_changes_no_customer_data(pipeline: Pipeline) -> None:
    def upsert(event_id: str, at: str, name: str, subscribed: bool) -> None:
        data: dict[str, Any] = {"customer_id": "6101234567", "email": "ava.lopez@example.com"}
        data["first_name"] = name
        data |= {"last_name": "Lopez", "consent": {"email_marketing": subscribed}}
        event = {"id": event_id, "type": "customer.upserted", "occurred_at": at, "data": data}
        assert pipeline.post_json("/events", event, STORE).status_code == 202

    upsert("e-new", "2026-11-20T14:00:00Z", "Avery", False)
    upsert("e-old", "2026-11-18T14:00:00Z", "Ava", True)
    stored = profile(pipeline)
    assert stored["first_name"] == "Avery" and stored["consent"]["email_marketing"] is False


def test_consent_withdrawn_by_the_customer_survives_a_replayed_subscribe(
    pipeline: Pipeline,
) -> None:
    post_webhook(pipeline, "customers/update", "", "wh-1", body=customer(OLD, "Ava", "subscribed"))
    secret = pipeline.env["CHAT_SESSION_SECRET"]
    token = unsubscribe_token(secret, "6101234567", Channel.EMAIL)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = pipeline.client.http.post(f"/unsubscribe/{token}", headers=headers, body=b"")
    assert answer.status_code == 200, answer.body
    post_webhook(pipeline, "customers/update", "", "wh-2", body=customer(OLD, "Ava", "subscribed"))
    assert profile(pipeline)["consent"]["email_marketing"] is False
    # The store's own later word (the customer subscribed again there) still counts.
    later = customer("2099-01-01T00:00:00Z", "Ava", "subscribed")
    post_webhook(pipeline, "customers/update", "", "wh-3", body=later)
    assert profile(pipeline)["consent"]["email_marketing"] is True


def test_the_shop_header_does_not_build_product_urls(pipeline: Pipeline) -> None:
    body = body_of("product")
    headers = webhook_headers(body, "products/update", pipeline.env["SHOPIFY_WEBHOOK_SECRET"])
    headers["X-Shopify-Shop-Domain"] = "evil-phish.example"
    answer = pipeline.client.http.post("/webhooks/shopify", headers=headers, body=body)
    assert answer.status_code == 403, answer.body
    assert "evil-phish.example" in answer.json_body["error"]["message"]
    assert pipeline.services.catalog.all() == []


def test_product_urls_use_the_configured_shop_domain(pipeline: Pipeline) -> None:
    assert post_webhook(pipeline, "products/update", "product").status_code == 200
    urls = {product["url"] for product in pipeline.services.catalog.all()}
    assert urls and all(
        url.startswith(f"https://{pipeline.env['SHOPIFY_SHOP_DOMAIN']}/products/") for url in urls
    )


@pytest.mark.parametrize(
    ("topic", "name"),
    [
        ("customers/create", "product"),
        ("customers/update", "order"),
        ("products/create", "customer"),
        ("orders/create", "fulfillment"),
        ("orders/updated", "checkout_abandoned"),
        ("fulfillments/create", "order"),
        ("checkouts/create", "customer"),
    ],
)
def test_a_body_posted_under_another_topic_is_refused(
    pipeline: Pipeline, topic: str, name: str
) -> None:
    answer = post_webhook(pipeline, topic, name)
    assert answer.status_code == 400, answer.body
    assert topic in answer.json_body["error"]["message"]
    assert pipeline.get("/customers?email=bob.norman@hostmail.com", HELPDESK).status_code == 404
    assert pipeline.services.catalog.all() == []
