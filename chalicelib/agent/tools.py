"""The agent's tools, bound to the conversation's own customer: the model never picks who."""

from __future__ import annotations

from typing import Any

from chalicelib.agent.base import ToolCall
from chalicelib.domain.profiles import CustomerBundle, Order

UNVERIFIED = {
    "error": "identity_not_verified",
    "message": "The customer's identity is not verified on this channel: no personal data.",
}


class ToolBox:
    """Tools acting for one customer; every call is recorded."""

    def __init__(self, customer: CustomerBundle, verified: bool) -> None:
        self.customer = customer
        self.verified = verified
        self.calls: list[ToolCall] = []

    def record(self, name: str, arguments: dict[str, Any], result: Any) -> Any:
        """Remember a call and return its result."""
        self.calls.append(ToolCall(name, arguments, result))
        return result

    def lookup_orders(self, order_number: str | None = None, limit: int = 3) -> dict[str, Any]:
        """This customer's orders by number or recency: status, items, carrier, tracking, ETA."""
        arguments = {"order_number": order_number, "limit": limit}
        if not self.verified:
            return self.record("lookup_orders", arguments, UNVERIFIED)
        orders = self.customer.orders_newest_first()
        if order_number:
            wanted = order_number.lstrip("#").strip()
            orders = [o for o in orders if o.order_number.lstrip("#") == wanted]
        result: dict[str, Any] = {
            "orders": [_order_view(o) for o in orders[: max(1, min(limit, 10))]]
        }
        if order_number and not orders:
            result["message"] = f"No order #{order_number.lstrip('#')} for this customer."
        return self.record("lookup_orders", arguments, result)


def _order_view(order: Order) -> dict[str, Any]:
    """What the agent may say about an order."""
    view: dict[str, Any] = {
        "order_number": order.order_number,
        "status": order.status,
        "placed_at": order.placed_at,
        "items": [{"name": i.get("name"), "quantity": i.get("quantity")} for i in order.items],
        "total": order.total,
        "currency": order.currency,
    }
    if order.shipment:
        view["shipment"] = {
            key: order.shipment.get(key)
            for key in ("carrier", "tracking_number", "tracking_url", "estimated_delivery")
        }
    return view
