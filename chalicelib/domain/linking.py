"""When identities of different profiles name one person: which profiles merge, which survives.

Rules (docs/shopify.md, "Identity and merge rules"):
- `unverified_email` never links anything: an address someone typed or that failed SPF/DKIM is no proof.
- `visitor` (a web-chat browser id) is weak: it folds an anonymous lead into a verified customer,
  but never merges two known customers (a shared computer is not one person).
- Two profiles the store itself names with different customer ids are different people, even when
  they share a phone or an email (families do): the other's identities are left where they are.
- The survivor is the store-known profile, else a non-lead, else the one of the strongest identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WEAK_KINDS = frozenset({"visitor"})
UNLINKABLE_KINDS = frozenset({"unverified_email"})


@dataclass(frozen=True)
class Candidate:
    """A profile some of the given identities already belong to, and through which kinds."""

    customer_id: str
    profile: dict[str, Any]
    kinds: frozenset[str]

    @property
    def store_id(self) -> str | None:
        """The store's customer id of this profile, if the store knows them."""
        value = self.profile.get("store_customer_id")
        return str(value) if value else None

    @property
    def is_lead(self) -> bool:
        """Created by a message from someone the store did not name (or an anonymous visitor)."""
        return self.profile.get("lead") is True


def eligible(candidate: Candidate) -> bool:
    """Whether identities found on this profile may attach new ones to it or merge it."""
    strong = candidate.kinds - WEAK_KINDS - UNLINKABLE_KINDS
    weak = candidate.kinds & WEAK_KINDS
    return bool(strong) or (bool(weak) and candidate.is_lead)


def conflicts(candidate: Candidate, store_id: str | None) -> bool:
    """The store names someone else: the candidate has another store customer id."""
    return bool(store_id and candidate.store_id and candidate.store_id != store_id)


def choose_survivor(candidates: list[Candidate]) -> Candidate:
    """The profile that keeps living: store-known first, then non-lead, then strongest identity."""
    ranked = sorted(
        enumerate(candidates),
        key=lambda pair: (pair[1].store_id is None, pair[1].is_lead, pair[0]),
    )
    return ranked[0][1]


def may_merge(survivor: Candidate, other: Candidate) -> bool:
    """Whether `other` may be folded into `survivor`."""
    if not eligible(other) or other.customer_id == survivor.customer_id:
        return False
    conflicting = survivor.store_id and other.store_id and survivor.store_id != other.store_id
    return not conflicting
