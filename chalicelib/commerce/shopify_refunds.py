"""Shopify `refunds/create` as the internal `order.refund_created`: money back on a known order."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.commerce.shopify_fields import Mapped, Resource, objs, required, text, updated_at
from chalicelib.commerce.shopify_mapping import Shop


def map_refund(refund: Resource, shop: Shop) -> list[Mapped]:
    """The refund's id, order, note and the amount its successful refund transactions paid back."""
    paid = [
        t
        for t in objs(refund, "transactions")
        if text(t, "kind") == "refund" and text(t, "status") in (None, "success")
    ]
    amount = sum((Decimal(text(t, "amount") or "0") for t in paid), Decimal(0))
    currency = next((text(t, "currency") for t in paid if text(t, "currency")), shop.currency)
    data = {
        "order_id": required(refund, "order_id"),
        "refund_id": required(refund, "id"),
        "amount": str(amount),
        "currency": currency,
        "note": text(refund, "note"),
    }
    return [("order.refund_created", updated_at(refund, shop.triggered_at), data)]
