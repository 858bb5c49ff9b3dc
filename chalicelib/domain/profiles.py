"""A customer as one Query of their partition returns them: profile, orders, cart, events."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

OPEN_STATUSES = {"placed", "processing", "shipped", "out_for_delivery"}


class Order(BaseModel):
    """An order of the customer's, in the contract's `order.upserted` shape."""

    order_id: str
    order_number: str
    status: str
    placed_at: str
    items: list[dict[str, Any]] = Field(default_factory=list)
    total: float = 0
    currency: str = "USD"
    shipment: dict[str, Any] | None = None
    refunds: list[dict[str, Any]] = Field(default_factory=list)  # Shopify refunds/create

    @property
    def is_open(self) -> bool:
        """Not yet delivered, cancelled or returned."""
        return self.status in OPEN_STATUSES


class CustomerBundle(BaseModel):
    """Everything about one customer that a turn or a human needs, loaded together."""

    customer_id: str
    profile: dict[str, Any] = Field(default_factory=dict)
    orders: list[Order] = Field(default_factory=list)
    cart: dict[str, Any] | None = None
    events: list[dict[str, Any]] = Field(default_factory=list)
    followups: list[dict[str, Any]] = Field(default_factory=list)
    threads: dict[str, str] = Field(default_factory=dict, description="channel#address -> conv")
    identities: list[dict[str, str]] = Field(default_factory=list, description="kind, value")
    merged_ids: list[str] = Field(default_factory=list, description="profiles merged into this")

    @property
    def first_name(self) -> str:
        """The customer's first name, or an empty string."""
        return str(self.profile.get("first_name") or "")

    def orders_newest_first(self) -> list[Order]:
        """Orders, most recently placed first."""
        return sorted(self.orders, key=lambda order: order.placed_at, reverse=True)

    def lifetime_value(self) -> float:
        """The sum of totals of orders that were not cancelled or returned."""
        kept = [o.total for o in self.orders if o.status not in {"cancelled", "returned"}]
        return round(sum(kept), 2)
