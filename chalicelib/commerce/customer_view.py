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


def customer_view(
    customers: CustomerRepository, customer_id: str, conversations: Any = None
) -> dict[str, Any]:
    """The unified profile; a merged id answers with the survivor's and says `merged_from`."""
    bundle = customers.load(customer_id)
    profile = bundle.profile
    view: dict[str, Any] = {
        "customer_id": bundle.customer_id,
        "profile": profile,
        "identities": sorted(bundle.identities, key=lambda i: (i["kind"], i["value"])),
        "consent": consent_view(profile),
        "loyalty": {"tier": profile.get("loyalty_tier"), "points": profile.get("loyalty_points")},
        "orders": [o.model_dump() for o in bundle.orders_newest_first()],
        "cart": bundle.cart,
        "interests": interests(bundle.profile, bundle.events),
        "events": bundle.events[-50:],
        "conversations": conversations.for_customer(bundle.customer_id) if conversations else [],
        "followups": bundle.followups,
        "lifetime_value": bundle.lifetime_value(),
        "merged_ids": sorted(bundle.merged_ids),
    }
    if bundle.customer_id != customer_id:
        view["merged_from"] = customer_id
    return view


def consent_view(profile: dict[str, Any]) -> dict[str, Any]:
    """Consent per channel (None: never stated), and opt-outs per medium when recorded."""
    consent = profile.get("consent") or {}
    shown = {key: consent.get(key) for key in ("email_marketing", "sms_marketing", "whatsapp")}
    if profile.get("opt_out"):
        shown["opt_out"] = profile["opt_out"]
    return shown


def interests(profile: dict[str, Any], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the customer showed interest in: profile interests, then recorded interest events."""
    listed = profile.get("interests") or []
    stated = [item if isinstance(item, dict) else {"sku": item} for item in listed]
    recorded = [
        {**(e.get("data") or {}), "at": e.get("at")} for e in events if e.get("type") == "interest"
    ]
    return stated + recorded[::-1]
