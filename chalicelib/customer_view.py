"""The unified customer profile as the helpdesk and stores read it."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.errors import BadRequestError, NotFoundError
from chalicelib.store.customers import CustomerRepository


def find_customer_id(customers: CustomerRepository, customer_id: str) -> str:
    """Our id for a customer named by our id or the store's; 404 when unknown."""
    found = customers.resolve("customer", customer_id)
    if found:
        return found
    if customers.exists(customer_id):
        return customer_id
    raise NotFoundError(f"no customer {customer_id}")


def lookup_by_contact(customers: CustomerRepository, query: dict[str, str]) -> str:
    """Our id for the customer with this email or phone; 400 without one, 404 when unknown."""
    from chalicelib.domain.contact import normalize_email, normalize_phone

    for kind, normalize in (("email", normalize_email), ("phone", normalize_phone)):
        raw = query.get(kind)
        if raw is None:
            continue
        try:
            value = normalize(raw)
        except ValueError as error:
            raise BadRequestError(str(error), field=kind) from None
        found = customers.resolve(kind, value)
        if not found:
            raise NotFoundError(f"no customer with that {kind}")
        return found
    raise BadRequestError("give ?email= or ?phone=", field="email")


def customer_view(customers: CustomerRepository, customer_id: str) -> dict[str, Any]:
    """Profile, orders, cart, recent events and follow-ups of one customer."""
    bundle = customers.load(customer_id)
    return {
        "customer_id": customer_id,
        "profile": bundle.profile,
        "orders": [o.model_dump() for o in bundle.orders_newest_first()],
        "cart": bundle.cart,
        "events": bundle.events[-50:],
        "followups": bundle.followups,
        "lifetime_value": bundle.lifetime_value(),
    }
