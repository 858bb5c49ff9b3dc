"""Store events (POST /events, Shopify) applied to profiles, orders, carts and the catalog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.event_data import CustomerRef
from chalicelib.domain.events import StoreEvent
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.runtime.observability import logger
from chalicelib.store.catalog import CatalogRepository
from chalicelib.store.customers import CustomerRepository
from chalicelib.store.dedupe import DedupeStore
from chalicelib.store.profile_sync import apply_store_profile
from chalicelib.store.shipments import PendingShipments
from chalicelib.store.table import to_dynamo, without_keys


@dataclass(frozen=True)
class Applied:
    """How many events of a batch were new and how many were duplicates."""

    accepted: int
    duplicates: int


def identities_of(ref: CustomerRef) -> list[tuple[str, str]]:
    """The identities a store's customer reference names, strongest first."""
    found = [("customer", ref.customer_id), ("email", ref.email), ("phone", ref.phone)]
    return [(kind, value) for kind, value in found if value]


def plain(data: Any, *exclude: str) -> dict[str, Any]:
    """An event's data as stored: JSON-safe numbers and timestamps."""
    return dict(to_dynamo(data.model_dump(exclude=set(exclude), exclude_none=True)))


class FollowUpHooks(Protocol):
    """What store events tell the follow-ups: products bought, consent changed."""

    def products_bought(self, customer_id: str, skus: set[str]) -> int:
        """Cancel pending follow-ups about these products."""
        ...

    def consent_changed(self, customer_id: str) -> int:
        """Cancel pending follow-ups on channels the customer no longer consents to."""
        ...


class Commerce:
    """Applies store events idempotently (by event id); older updates never overwrite newer."""

    def __init__(
        self,
        customers: CustomerRepository,
        catalog: CatalogRepository,
        dedupe: DedupeStore,
        followups: Callable[[], FollowUpHooks] | None = None,
        shipments: PendingShipments | None = None,
    ):
        self.customers = customers
        self.catalog = catalog
        self.dedupe = dedupe
        self.followups = followups
        self.shipments = shipments or PendingShipments(customers.table)
        self.handlers: dict[str, Callable[[StoreEvent], None]] = {
            "customer.upserted": self._customer,
            "order.upserted": self._order,
            "order.shipment_updated": self._shipment,
            "order.refund_created": self._refund,
            "cart.updated": self._cart,
            "product.upserted": self._product,
            "product.viewed": self._viewed,
        }

    def apply_batch(self, events: list[StoreEvent]) -> Applied:
        """Apply each event not seen before; count the duplicates."""
        accepted = duplicates = 0
        for event in events:
            if self.dedupe.already("event", event.id):
                duplicates += 1
                continue
            self.handlers[event.type](event)
            if self.dedupe.first_time("event", event.id, {"type": event.type}):
                accepted += 1
            else:
                duplicates += 1
        return Applied(accepted, duplicates)

    def customer_for(self, ref: CustomerRef) -> str:
        """The profile a reference names, created when the store names someone new."""
        return self.customers.resolve_or_create(identities_of(ref), **plain(ref))

    def _customer(self, event: StoreEvent) -> None:
        """The store's customer data, unless newer is stored (a replayed event reverts nothing)."""
        data: Any = event.data
        customer_id = self.customer_for(data)
        fields = plain(data, "consent")
        fields["store_customer_id"] = fields.pop("customer_id", None)
        fields.update(lead=False, updated_at=iso(utcnow()))
        fields = {key: value for key, value in fields.items() if value is not None}
        consent = plain(data.consent) if data.consent else {}
        at = iso(event.occurred_at)
        applied = apply_store_profile(self.customers.table, customer_id, fields, consent, at)
        if applied and consent and self.followups:
            self.followups().consent_changed(customer_id)

    def _order(self, event: StoreEvent) -> None:
        data: Any = event.data
        customer_id = self.customer_for(data.customer)
        self.customers.save_order(customer_id, plain(data, "customer"), iso(event.occurred_at))
        if self.followups and data.status not in {"cancelled", "returned"}:
            self.followups().products_bought(customer_id, {item.sku for item in data.items})
        self._release_pending(data.order_id)

    def _shipment(self, event: StoreEvent) -> None:
        data: Any = event.data
        shipment, at = plain(data.shipment), iso(event.occurred_at)
        if self._apply_shipment(data.order_id, data.status, shipment, at) is None:
            # The fulfillment came before its order: hold it, then look again in case the
            # order landed meanwhile (both sides look after writing, so one of them applies it).
            self.shipments.hold(data.order_id, data.status, shipment, at)
            self._release_pending(data.order_id)

    def _apply_shipment(
        self, order_id: str, status: str | None, shipment: dict[str, Any], at: str
    ) -> bool | None:
        """Tracking merged into a stored order unless it is newer; None when the order is unknown."""
        found = self.customers.find_order(order_id)
        if not found:
            return None
        customer_id, order = found
        order = without_keys(order, "updated_at")
        order["shipment"] = {**(order.get("shipment") or {}), **shipment}
        order["status"] = status or order["status"]
        return self.customers.save_order(customer_id, order, at)

    def _refund(self, event: StoreEvent) -> None:
        """The refund listed on its order (once per refund id); an unknown order is logged."""
        data: Any = event.data
        found = self.customers.find_order(data.order_id)
        if not found:
            logger.warning("refund for an unknown order ignored", extra={"refund": data.refund_id})
            return
        customer_id, order = found
        refund = plain(data, "order_id")
        kept = [r for r in order.get("refunds") or [] if r.get("refund_id") != data.refund_id]
        order = {**without_keys(order, "updated_at"), "refunds": [*kept, refund]}
        self.customers.save_order(customer_id, order, iso(event.occurred_at))

    def _release_pending(self, order_id: str) -> None:
        """Apply a shipment held for this order, if any, and forget it."""
        held = self.shipments.get(order_id)
        if held is None:
            return
        at = str(held["updated_at"])
        if self._apply_shipment(order_id, held.get("status"), held["shipment"], at) is not None:
            self.shipments.drop(order_id, at)

    def _cart(self, event: StoreEvent) -> None:
        data: Any = event.data
        customer_id = self.customer_for(data.customer)
        self.customers.save_cart(customer_id, plain(data, "customer"), iso(event.occurred_at))

    def _product(self, event: StoreEvent) -> None:
        self.catalog.save(plain(event.data), iso(event.occurred_at))

    def _viewed(self, event: StoreEvent) -> None:
        data: Any = event.data
        customer_id = self.customer_for(data.customer)
        self.customers.add_event(customer_id, event.id, event.type, {"sku": data.sku})
