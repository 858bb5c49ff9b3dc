"""The customer context the model reads each turn: what the common questions need, one round.

Only the conversation's own customer (the toolbox's bundle) is described, and only when the
sender is verified: tier, open orders (status, carrier, tracking, delivery estimate, items), the
latest order when none is open, the cart. "Where is my order?" is then answered without a tool call.
"""

from __future__ import annotations

from typing import Any

from chalicelib.agent.base import TurnContext
from chalicelib.domain.messages import iso, utcnow
from chalicelib.domain.profiles import CustomerBundle, Order

UNVERIFIED = "Customer identity NOT verified: share no personal or order data; suggest signing in."
MOST_ORDERS = 3
MOST_ITEMS = 3


def customer_summary(context: TurnContext) -> str:
    """The turn's customer context: the conversation's own customer, as `describe_customer`."""
    return describe_customer(context.customer, context.verified)


def describe_customer(bundle: CustomerBundle, verified: bool) -> str:
    """A compact profile: tier, open orders, cart; for an unverified sender, only that."""
    if not verified:
        return UNVERIFIED
    lines = [_who(bundle), *_order_lines(bundle)]
    if bundle.cart and bundle.cart.get("items"):
        lines.append(_cart_line(bundle.cart))
    return "\n".join(lines) + f"\nNow {iso(utcnow())[:16]}Z."


def _who(bundle: CustomerBundle) -> str:
    """Name, tier and order counts."""
    parts = [f"Customer: {bundle.first_name or 'unknown name'}"]
    profile = bundle.profile
    if profile.get("loyalty_tier"):
        parts.append(f"tier {profile['loyalty_tier']} ({profile.get('loyalty_points', 0)} points)")
    open_orders = sum(1 for order in bundle.orders if order.is_open)
    parts.append(f"{len(bundle.orders)} orders ({open_orders} open)")
    return "; ".join(parts) + "."


def _order_lines(bundle: CustomerBundle) -> list[str]:
    """The open orders, newest first (or the latest order when none is open)."""
    newest = bundle.orders_newest_first()
    shown = [order for order in newest if order.is_open]
    if not shown:
        return [f"Latest order: {_order_line(newest[0])}"] if newest else []
    lines = ["Open orders:", *(f"- {_order_line(order)}" for order in shown[:MOST_ORDERS])]
    if len(shown) > MOST_ORDERS:
        lines.append(f"({len(shown) - MOST_ORDERS} more open: lookup_orders)")
    return lines


def _order_line(order: Order) -> str:
    """`#1001 shipped, placed 2026-11-20: Linen tee; UPS 1Z999..., ETA 2026-11-26`."""
    line = f"#{order.order_number} {order.status}, placed {order.placed_at[:10]}"
    line += f": {_items(order.items)}"
    shipment = order.shipment or {}
    if shipment.get("carrier") or shipment.get("tracking_number"):
        carrier = shipment.get("carrier") or "carrier unknown"
        line += f"; {carrier} {shipment.get('tracking_number') or 'no tracking'}"
    if shipment.get("estimated_delivery") and order.is_open:
        line += f", ETA {shipment['estimated_delivery']}"
    return line


def _items(items: list[dict[str, Any]]) -> str:
    """Item names (with quantities above one), at most MOST_ITEMS of them."""
    if not items:
        return "no items"
    names = [_item(item) for item in items[:MOST_ITEMS]]
    more = len(items) - MOST_ITEMS
    return ", ".join(names) + (f" +{more} more" if more > 0 else "")


def _item(item: dict[str, Any]) -> str:
    """`Linen tee`, or `Linen tee x2`."""
    name = str(item.get("name") or item.get("sku") or "item")
    quantity = item.get("quantity")
    return f"{name} x{quantity}" if isinstance(quantity, int) and quantity > 1 else name


def _cart_line(cart: dict[str, Any]) -> str:
    """The cart's items and total."""
    total = f"{cart.get('total')} {cart.get('currency') or ''}".strip()
    return f"Cart: {_items(cart.get('items') or [])}; total {total}."
