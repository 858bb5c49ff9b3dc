"""Shopify orders and fulfillments as `order.upserted` and `order.shipment_updated` events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.commerce.shopify_fields import (
    Mapped,
    Resource,
    customer_ref,
    moment,
    money,
    objs,
    required,
    text,
    updated_at,
)

# Shopify's fulfillment `shipment_status` (carrier tracking) -> our order status.
SHIPMENT_STAGES = {
    "delivered": "delivered",
    "picked_up": "delivered",
    "out_for_delivery": "out_for_delivery",
}
STAGE_RANK = {"shipped": 0, "out_for_delivery": 1, "delivered": 2}
INACTIVE_FULFILLMENTS = {"cancelled", "error", "failure"}
WAITING_FULFILLMENTS = {"pending", "open"}
PAID = {"paid", "partially_paid", "partially_refunded"}


def map_order(order: Resource) -> list[Mapped]:
    """`orders/*`: the order in its current state; an order naming no customer maps to nothing."""
    customer = customer_ref(order)
    if customer is None:
        return []
    data = {
        "order_id": required(order, "id"),
        "order_number": _order_number(order),
        "customer": customer,
        "status": order_status(order),
        "placed_at": _placed_at(order),
        "items": line_items(order),
        "total": money(order, "total_price"),
        "currency": required(order, "currency"),
    }
    shipment = _latest_shipment(order)
    return [("order.upserted", updated_at(order), {**data, "shipment": shipment})]


def map_fulfillment(fulfillment: Resource) -> list[Mapped]:
    """`fulfillments/*`: tracking for a known order; a cancelled or failed one maps to nothing."""
    order_id = required(fulfillment, "order_id")
    if text(fulfillment, "status") in INACTIVE_FULFILLMENTS:
        return []
    data = {
        "order_id": order_id,
        "status": fulfillment_stage(fulfillment),
        "shipment": shipment(fulfillment),
    }
    return [("order.shipment_updated", updated_at(fulfillment), data)]


def order_status(order: Resource) -> str:
    """Our status from Shopify's cancellation, financial and fulfillment states."""
    financial = text(order, "financial_status")
    if order.get("cancelled_at") or financial == "voided":
        return "cancelled"
    if financial == "refunded":
        return "returned"
    stages = [stage for f in _active(order) if (stage := fulfillment_stage(f))]
    if stages:  # the order is as far along as its least advanced parcel
        return min(stages, key=STAGE_RANK.__getitem__)
    if text(order, "fulfillment_status") in {"fulfilled", "partial"}:
        return "shipped"
    return "processing" if financial in PAID else "placed"


def fulfillment_stage(fulfillment: Resource) -> str | None:
    """How far a fulfillment's parcel got; None while the fulfillment is still waiting."""
    if text(fulfillment, "status") in WAITING_FULFILLMENTS:
        return None
    return SHIPMENT_STAGES.get(text(fulfillment, "shipment_status") or "", "shipped")


def shipment(fulfillment: Resource) -> dict[str, Any]:
    """A fulfillment's carrier and tracking."""
    expected = moment(fulfillment, "estimated_delivery_at")
    return {
        "carrier": text(fulfillment, "tracking_company"),
        "tracking_number": text(fulfillment, "tracking_number"),
        "tracking_url": text(fulfillment, "tracking_url"),
        "estimated_delivery": expected.date().isoformat() if expected else None,
    }


def line_items(resource: Resource) -> list[dict[str, Any]]:
    """Order or checkout lines with a quantity, as `{sku, name, quantity, price}`."""
    lines = objs(resource, "line_items")
    return [_line_item(line, f"line_items[{index}]") for index, line in enumerate(lines)]


def _line_item(line: Resource, where: str) -> dict[str, Any]:
    """One line; a line without a SKU is named by its variant (or line) id."""
    sku = text(line, "sku") or text(line, "variant_id") or required(line, "id", where)
    name = text(line, "name") or _titled(line) or sku
    quantity = line.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        quantity = 1  # Shopify never sends a line without a quantity; do not refuse an order for it
    return {"sku": sku, "name": name, "quantity": quantity, "price": money(line, "price", where)}


def _titled(line: Resource) -> str | None:
    """A checkout line's name: product title and variant title."""
    parts = [text(line, "title"), text(line, "variant_title")]
    return " - ".join(part for part in parts if part) or None


def _order_number(order: Resource) -> str:
    """The number the customer sees (`name` without its `#`), else `order_number`."""
    name = text(order, "name")
    return name.lstrip("#") if name and name.lstrip("#") else required(order, "order_number")


def _placed_at(order: Resource) -> str:
    """When the order was placed."""
    placed = moment(order, "created_at") or moment(order, "processed_at")
    return placed.isoformat() if placed else updated_at(order)


def _active(order: Resource) -> list[Resource]:
    """The order's fulfillments that were not cancelled or failed."""
    fulfillments = objs(order, "fulfillments")
    return [f for f in fulfillments if text(f, "status") not in INACTIVE_FULFILLMENTS]


def _latest_shipment(order: Resource) -> dict[str, Any] | None:
    """The shipment of the most recently updated active fulfillment, if any."""
    oldest = datetime.min.replace(tzinfo=UTC)
    active = sorted(_active(order), key=lambda f: moment(f, "updated_at") or oldest)
    return shipment(active[-1]) if active else None
