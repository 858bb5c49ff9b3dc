"""Opt-outs on the profile: `opt_out.<medium>` and the matching `consent.<key>`, set field by field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import Table

# The consent key (the `customer.upserted` shape) that an opt-out on each medium withdraws.
CONSENT_KEYS = {"sms": "sms_marketing", "whatsapp": "whatsapp"}


class ConsentStore:
    """Reads and records a customer's opt-outs per medium (sms, whatsapp)."""

    def __init__(self, table: Table, on_opt_out: Callable[[str], Any] | None = None) -> None:
        """`on_opt_out(customer_id)` runs after an opt-out is recorded (follow-ups cancel theirs)."""
        self.table = table
        self.on_opt_out = on_opt_out

    def profile(self, customer_id: str) -> dict[str, Any]:
        """The customer's profile item, or an empty dict."""
        return self.table.get(keys.customer_pk(customer_id), keys.PROFILE) or {}

    def record(self, customer_id: str, medium: str, opted_out: bool) -> None:
        """Set `opt_out.<medium>` and `consent.<key>` (withdrawn on opt-out, given back on opt-in)."""
        pk = keys.customer_pk(customer_id)
        names = {"#o": "opt_out", "#c": "consent", "#m": medium, "#k": CONSENT_KEYS[medium]}
        names["#t"] = (
            "consent_at"  # when the customer said so: an older store event never undoes it
        )
        # Field by field (two updates: a map must exist before a path into it is set), so a
        # store's profile sync and an opt-out on the other medium never overwrite each other.
        self.table.update(
            pk,
            keys.PROFILE,
            UpdateExpression="SET #o = if_not_exists(#o, :empty), #c = if_not_exists(#c, :empty), "
            "#t = if_not_exists(#t, :empty)",
            ExpressionAttributeNames={"#o": "opt_out", "#c": "consent", "#t": "consent_at"},
            ExpressionAttributeValues={":empty": {}},
        )
        self.table.update(
            pk,
            keys.PROFILE,
            UpdateExpression="SET #o.#m = :out, #c.#k = :consent, #t.#k = :now, updated_at = :now",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={
                ":out": opted_out,
                ":consent": not opted_out,
                ":now": iso(utcnow()),
            },
        )
        if opted_out and self.on_opt_out is not None:
            self.on_opt_out(customer_id)


def is_opted_out(profile: dict[str, Any], medium: str) -> bool:
    """True when the profile records an opt-out on `medium`."""
    opt_out = profile.get("opt_out")
    return isinstance(opt_out, dict) and bool(opt_out.get(medium))
