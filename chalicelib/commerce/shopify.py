"""Shopify webhooks: signature check, and each topic's resource mapped onto our store events.

Choices:
- A Shopify customer's id is our `customer_id` as is (`"207119551"`), with no prefix: a deployment
  serves one store, and the store's own identity tokens and `/events` name customers the same way.
- `fulfillments/*` become the internal `order.shipment_updated` (order id, status, shipment): a
  fulfillment does not carry the order's customer, items or total, so it cannot be an
  `order.upserted`. Cancelled or failed fulfillments map to nothing (the order's next update says so).
- An order or checkout naming no customer (no id, email or phone) maps to no events: it is legitimate
  in Shopify and there is nobody to attach it to.
- Each event's `occurred_at` is the resource's `updated_at`, so an older delivery can be refused;
  its id is `shopify:<webhook id>:<index>`, so a redelivery yields the same ids.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from chalicelib.commerce.shopify_fields import Mapped, Resource
from chalicelib.commerce.shopify_mapping import Shop, map_checkout, map_customer, map_product
from chalicelib.commerce.shopify_orders import map_fulfillment, map_order
from chalicelib.commerce.shopify_refunds import map_refund
from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.events import parse_event

Mapper = Callable[[Resource, Shop], list[Mapped]]


def _ignoring_shop(mapper: Callable[[Resource], list[Mapped]]) -> Mapper:
    """A mapper that needs nothing about the shop beyond the resource."""
    return lambda resource, _shop: mapper(resource)


TOPICS: dict[str, Mapper] = {
    "customers/create": map_customer,
    "customers/update": map_customer,
    "orders/create": _ignoring_shop(map_order),
    "orders/updated": _ignoring_shop(map_order),
    "orders/paid": _ignoring_shop(map_order),
    "orders/cancelled": _ignoring_shop(map_order),
    "orders/fulfilled": _ignoring_shop(map_order),
    "fulfillments/create": _ignoring_shop(map_fulfillment),
    "fulfillments/update": _ignoring_shop(map_fulfillment),
    "checkouts/create": map_checkout,
    "checkouts/update": map_checkout,
    "products/create": map_product,
    "products/update": map_product,
    "refunds/create": map_refund,
}


def verify_shopify_hmac(secret: str, raw_body: bytes, header_value: str | None) -> bool:
    """True when `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body."""
    if not secret or not header_value:
        return False
    try:
        claimed = base64.b64decode(header_value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    return hmac.compare_digest(expected, claimed)


def map_webhook(
    topic: str, webhook_id: str, payload: dict[str, Any], *, shop: Shop | None = None
) -> list[dict[str, Any]]:
    """A Shopify webhook as store events (`order.shipment_updated` for fulfillments), validated."""
    mapper = TOPICS.get(topic)
    if mapper is None:
        raise BadRequestError(f"unsupported Shopify topic {topic!r}", field="X-Shopify-Topic")
    if not webhook_id or not webhook_id.strip():
        raise BadRequestError("a webhook id is required", field="X-Shopify-Webhook-Id")
    if not isinstance(payload, dict):
        raise BadRequestError("the webhook body must be a JSON object", field="body")
    mapped = mapper(payload, shop or Shop())
    events = [_event(webhook_id.strip(), index, item) for index, item in enumerate(mapped)]
    for event in events:
        parse_event(event, internal=True)  # raises BadRequestError naming the field
    return events


def _event(webhook_id: str, index: int, mapped: Mapped) -> dict[str, Any]:
    """One store event, its id stable across redeliveries of the webhook."""
    kind, occurred_at, data = mapped
    return {
        "id": f"shopify:{webhook_id}:{index}",
        "type": kind,
        "occurred_at": occurred_at,
        "data": {key: value for key, value in data.items() if value is not None},
    }
