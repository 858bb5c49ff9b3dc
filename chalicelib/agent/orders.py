"""Order look-ups for the agent: only ever the customer's own orders, by number or recency."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.profiles import CustomerBundle, Order


def normalize_number(order_number: str) -> str:
    """`#1001`, ` 1001 ` and `1001` are the same order number."""
    return order_number.strip().lstrip("#").strip()


def find_orders(bundle: CustomerBundle, order_number: str | None, limit: int) -> dict[str, Any]:
    """The customer's orders matching `order_number` (all when None), newest first."""
    orders = bundle.orders_newest_first()
    if order_number:
        wanted = normalize_number(order_number)
        orders = [o for o in orders if normalize_number(o.order_number) == wanted]
    result: dict[str, Any] = {
        "orders": [order_view(o) for o in orders[: max(1, min(limit, 10))]],
        "total_orders": len(bundle.orders),
    }
    if order_number and not orders:
        result["message"] = f"No order #{normalize_number(order_number)[:20]} for this customer."
    return result


def order_view(order: Order) -> dict[str, Any]:
    """What the agent may say about an order."""
    view: dict[str, Any] = {
        "order_number": order.order_number,
        "status": order.status,
        "placed_at": order.placed_at,
        "items": [{"name": i.get("name"), "quantity": i.get("quantity")} for i in order.items],
        "total": order.total,
        "currency": order.currency,
    }
    if order.refunds:  # Shopify refunds/create: money paid back on this order
        view["refunds"] = [
            {"amount": r.get("amount"), "currency": r.get("currency", order.currency)}
            for r in order.refunds
        ]
    if order.shipment:
        view["shipment"] = {
            key: order.shipment.get(key)
            for key in ("carrier", "tracking_number", "tracking_url", "estimated_delivery")
        }
    return view
