"""Orders in words, for the rules backend's replies."""

from __future__ import annotations

from typing import Any

STATUS_WORDS = {
    "placed": "has been placed and is being prepared",
    "processing": "is being prepared and will ship soon",
    "shipped": "has shipped",
    "out_for_delivery": "is out for delivery today",
    "delivered": "was delivered",
    "cancelled": "was cancelled",
    "returned": "was returned",
}
OPEN = {"placed", "processing", "shipped", "out_for_delivery"}
MOST_DESCRIBED = 2


def describe_order(order: dict[str, Any]) -> str:
    """One order's status in a sentence or two."""
    status = STATUS_WORDS.get(order["status"], order["status"])
    text = f"Your order #{order['order_number']} {status}"
    if order["status"] == "delivered" and order.get("shipment", {}).get("carrier"):
        text += f" by {order['shipment']['carrier']}"
    text += "."
    shipment = order.get("shipment") or {}
    if shipment.get("carrier") and order["status"] in {"shipped", "out_for_delivery"}:
        text += f" It's with {shipment['carrier']}"
        if shipment.get("tracking_number"):
            text += f", tracking number {shipment['tracking_number']}"
        text += "."
    if shipment.get("estimated_delivery") and order["status"] in OPEN:
        text += f" Estimated delivery: {shipment['estimated_delivery']}."
    return text


def describe_orders(orders: list[dict[str, Any]], total: int) -> str:
    """The open orders (or the latest when none is open), and how many more there are."""
    shown = [o for o in orders if o["status"] in OPEN][:MOST_DESCRIBED] or orders[:1]
    text = " ".join(describe_order(order) for order in shown)
    others = max(total - len(shown), 0)
    if others and len(orders) > 1:
        text += f" You have {others} other order{'s' if others > 1 else ''} with us; ask me about any by its number."
    return text
