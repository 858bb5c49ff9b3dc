"""Posting Shopify webhooks as Shopify does: the fixture's raw bytes, signed with the real HMAC."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

OURS = Path(__file__).resolve().parents[1] / "events" / "shopify"
HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}


def body_of(name: str) -> bytes:
    """A webhook body exactly as stored in tests/events/shopify (the real fixtures copied there
    with their licence)."""
    return (OURS / f"{name}.json").read_bytes()


def sign(body: bytes, secret: str) -> str:
    """`X-Shopify-Hmac-Sha256`: base64 of the HMAC-SHA256 of the raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def webhook_headers(
    body: bytes, topic: str, secret: str, webhook_id: str | None = None
) -> dict[str, str]:
    """The headers Shopify sends with a webhook."""
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign(body, secret),
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-Shop-Domain": "northwind.myshopify.com",
        "X-Shopify-API-Version": "2024-10",
    }


def post_webhook(
    pipeline: Any,
    topic: str,
    name: str,
    webhook_id: str | None = None,
    body: bytes | None = None,
) -> Any:
    """POST a fixture (or `body`) to /webhooks/shopify through the app, signed with its secret."""
    raw = body if body is not None else body_of(name)
    headers = webhook_headers(raw, topic, pipeline.env["SHOPIFY_WEBHOOK_SECRET"], webhook_id)
    return pipeline.client.http.post("/webhooks/shopify", headers=headers, body=raw)


def edited(name: str, **changes: Any) -> bytes:
    """A fixture with some top-level fields changed, as new raw bytes."""
    return json.dumps({**json.loads(body_of(name)), **changes}).encode()
