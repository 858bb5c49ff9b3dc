"""Identities of one message or store event resolved together: the profiles they link are merged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chalicelib.domain.linking import Candidate, choose_survivor, conflicts, eligible, may_merge
from chalicelib.runtime.observability import logger
from chalicelib.store import keys

if TYPE_CHECKING:
    from chalicelib.store.customers import CustomerRepository

Identity = tuple[str, str]


@dataclass(frozen=True)
class Linked:
    """The profile the identities name (None: nobody yet) and the identities nobody owns."""

    customer_id: str | None
    unclaimed: list[Identity] = field(default_factory=list)


def link(customers: CustomerRepository, identities: list[Identity]) -> Linked:
    """Find the profiles owning these identities and merge those the rules allow into one."""
    candidates, unclaimed = _candidates(customers, identities)
    store_id = next((value for kind, value in identities if kind == "customer"), None)
    usable = [
        c
        for c in candidates
        if (eligible(c) or len(identities) == 1) and not conflicts(c, store_id)
    ]
    if not usable:
        return Linked(None, unclaimed)
    survivor = choose_survivor(usable)
    final = survivor.customer_id
    for other in usable:
        if may_merge(survivor, other):
            final = customers.merger.merge(other.customer_id, final)
            logger.info("profiles merged", extra={"absorbed": other.customer_id, "into": final})
        elif other.customer_id != survivor.customer_id:
            logger.info("profiles linked but kept apart", extra={"kinds": sorted(other.kinds)})
    return Linked(final, unclaimed)


def _candidates(
    customers: CustomerRepository, identities: list[Identity]
) -> tuple[list[Candidate], list[Identity]]:
    """The profiles (after redirects) owning any identity, in identity order, and the free ones."""
    found: dict[str, tuple[dict[str, object], set[str]]] = {}
    unclaimed: list[Identity] = []
    for kind, value in identities:
        item = customers.table.get(keys.identity_pk(kind, value), keys.IDENTITY)
        if item is None:
            unclaimed.append((kind, value))
            continue
        owner, profile = customers.merger.final(str(item["customer_id"]))
        found.setdefault(owner, (dict(profile or {}), set()))[1].add(kind)
    candidates = [
        Candidate(cid, profile, frozenset(kinds)) for cid, (profile, kinds) in found.items()
    ]
    return candidates, unclaimed
