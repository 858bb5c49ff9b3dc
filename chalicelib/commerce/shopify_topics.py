"""Each Shopify topic's resource shape: a signed body posted under another topic is refused (400).

The HMAC proves Shopify wrote the body, not which topic it was sent under (`X-Shopify-Topic` is not
signed), so a genuine product body re-posted as `customers/create` would make a junk customer.
Shopify's REST webhook bodies always carry their resource's fields (null when empty): each topic
names the keys its resource always has, and keys only other resources have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import BadRequestError


@dataclass(frozen=True)
class Shape:
    """Keys a resource always has, and keys that mark another resource."""

    required: frozenset[str]
    foreign: frozenset[str]


SHAPES = {
    "customers": Shape(
        frozenset({"id", "email", "first_name", "last_name"}),
        frozenset({"line_items", "variants", "order_id", "order_number", "title", "handle"}),
    ),
    "orders": Shape(
        frozenset({"id", "line_items", "order_number"}),
        frozenset({"variants", "order_id", "abandoned_checkout_url", "first_name"}),
    ),
    "fulfillments": Shape(
        frozenset({"id", "order_id"}),
        frozenset({"variants", "order_number", "abandoned_checkout_url", "first_name"}),
    ),
    "checkouts": Shape(
        frozenset({"token", "line_items"}),
        frozenset({"variants", "order_id", "order_number", "first_name"}),
    ),
    "products": Shape(
        frozenset({"id", "title", "variants"}),
        frozenset({"line_items", "email", "order_id", "order_number"}),
    ),
}


def check_topic_shape(topic: str, payload: Any) -> None:
    """400 when the body is not the topic's resource; topics we do not know are left alone."""
    shape = SHAPES.get(topic.split("/", 1)[0])
    if shape is None or not isinstance(payload, dict):
        return
    missing = sorted(shape.required - payload.keys())
    foreign = sorted(shape.foreign & payload.keys())
    if missing or foreign:
        why = f"missing {', '.join(missing)}" if missing else f"has {', '.join(foreign)}"
        raise BadRequestError(
            f"the body is not a {topic} resource ({why}): refused", field="X-Shopify-Topic"
        )
