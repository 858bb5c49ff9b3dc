"""Shipments that arrived before their order: held by order id until the order lands (TTL)."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.table import Item, Table, ttl_in

PENDING = "PENDING_SHIPMENT"
PENDING_TTL_SECONDS = 30 * 86400
NEWER_OR_ABSENT = "attribute_not_exists(PK) OR updated_at <= :updated_at"


class PendingShipments:
    """Fulfillments for orders not stored yet (Shopify does not promise delivery order)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def hold(self, order_id: str, status: str | None, shipment: dict[str, Any], at: str) -> None:
        """Keep the newest shipment seen for an order that is not stored yet."""
        item: Item = {"PK": keys.order_ref_pk(order_id), "SK": PENDING, "kind": "pending_shipment"}
        item.update(order_id=order_id, shipment=shipment, updated_at=at)
        item.update(status=status, expires_at=ttl_in(PENDING_TTL_SECONDS))
        self.table.put(item, NEWER_OR_ABSENT, updated_at=at)

    def get(self, order_id: str) -> Item | None:
        """The shipment held for an order, if any (and not expired)."""
        item = self.table.get(keys.order_ref_pk(order_id), PENDING)
        return item if item and int(item.get("expires_at", 0)) > ttl_in(0) else None

    def drop(self, order_id: str, at: str) -> None:
        """Forget a held shipment once applied, unless a newer one replaced it meanwhile."""
        self.table.delete(
            keys.order_ref_pk(order_id),
            PENDING,
            ConditionExpression="updated_at = :at",
            ExpressionAttributeValues={":at": at},
        )
