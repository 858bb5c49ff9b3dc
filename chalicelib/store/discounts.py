"""Discount codes a customer has used: one item per customer and code, written conditionally."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import Table


def discount_sk(code: str) -> str:
    """A code the customer used, in their partition."""
    return f"DISCOUNT#{code.upper()}"


class DiscountClaims:
    """Once per customer per code, enforced by the table rather than by a read-then-write."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def claim(self, customer_id: str, code: str, details: dict[str, Any]) -> bool:
        """Record that the customer got `code`; False when they already had it."""
        item = {"PK": keys.customer_pk(customer_id), "SK": discount_sk(code), "kind": "discount"}
        item.update({**details, "code": code.upper(), "applied_at": iso(utcnow())})
        return self.table.put_new(item)

    def turn_of(self, customer_id: str, code: str) -> str | None:
        """The turn (the message it answered) that got the customer `code`, if recorded."""
        found = self.table.get(keys.customer_pk(customer_id), discount_sk(code))
        return str(found["turn"]) if found and found.get("turn") else None

    def used(self, customer_id: str, code: str) -> bool:
        """Whether the customer already got `code`."""
        return self.table.get(keys.customer_pk(customer_id), discount_sk(code)) is not None
