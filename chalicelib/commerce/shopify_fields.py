"""Reading fields of Shopify's JSON defensively: a wrong shape is a BadRequestError naming the field."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.domain.contact import normalize_email, normalize_phone
from chalicelib.domain.errors import BadRequestError

Resource = dict[str, Any]
Mapped = tuple[str, str, dict[str, Any]]  # (event type, occurred_at, data)


def text(resource: Resource, key: str) -> str | None:
    """A text or number field as stripped text, None when absent, empty or of another shape."""
    value = resource.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def required(resource: Resource, key: str, where: str = "") -> str:
    """A field that must be there (an id, a name) as text."""
    value = text(resource, key)
    if value is None:
        field = f"{where}.{key}" if where else key
        raise BadRequestError(f"{field}: required by this Shopify topic", field=field)
    return value


def obj(resource: Resource, key: str) -> Resource:
    """A nested object, empty when absent or not an object."""
    value = resource.get(key)
    return value if isinstance(value, dict) else {}


def objs(resource: Resource, key: str) -> list[Resource]:
    """The objects of a nested list, skipping anything that is not an object."""
    value = resource.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def money(resource: Resource, key: str, where: str = "") -> float:
    """An amount (Shopify sends "199.00") as a non-negative number."""
    raw = resource.get(key)
    field = f"{where}.{key}" if where else key
    try:
        amount = Decimal(str(raw)) if isinstance(raw, str | int | float) else None
    except InvalidOperation:
        amount = None
    if amount is None or isinstance(raw, bool) or not amount.is_finite() or amount < 0:
        raise BadRequestError(f"{field}: must be a non-negative amount", field=field)
    return float(amount)


def moment(resource: Resource, key: str) -> datetime | None:
    """A Shopify timestamp as an aware UTC datetime, None when absent or unreadable."""
    value = resource.get(key)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # garbage, or a year-1 time shifted out of range
        return None


def updated_at(resource: Resource, triggered_at: str | None = None) -> str:
    """When the resource last changed (`updated_at`, else when the webhook fired, else
    `created_at`), as ISO-8601 UTC."""
    fired = moment({"triggered_at": triggered_at}, "triggered_at") if triggered_at else None
    changed = moment(resource, "updated_at") or fired or moment(resource, "created_at")
    if changed is None:
        raise BadRequestError("updated_at: required to order updates", field="updated_at")
    return changed.isoformat()


def email(resource: Resource, key: str = "email") -> str | None:
    """An email address lowercased, None when absent or not an address."""
    raw = text(resource, key)
    try:
        return normalize_email(raw) if raw else None
    except ValueError:
        return None


def phone(resource: Resource, key: str = "phone", region: str | None = None) -> str | None:
    """A phone in E.164 (national numbers read in `region`), None when absent or not a number."""
    raw = text(resource, key)
    try:
        return normalize_phone(raw, region) if raw else None
    except ValueError:
        return None


def customer_ref(resource: Resource) -> dict[str, str] | None:
    """Who an order or checkout belongs to: its customer's id, email and phone; None if nobody."""
    customer = obj(resource, "customer")
    ref = {
        "customer_id": text(customer, "id"),
        "email": email(resource) or email(customer),
        "phone": phone(resource) or phone(customer),
    }
    found = {key: value for key, value in ref.items() if value}
    return found or None
