"""Merging two profiles: the survivor gets both histories, the other becomes a redirect.

A merge takes a lock first (`merging_into` on the absorbed profile, written in one transaction
that also checks the survivor is not itself being merged), so two merges of the same profiles,
or a cycle (A into B while B into A), cannot both start. Every later step is idempotent, and
anyone who meets a `merging_into` without `merged_into` finishes the merge: a crash halfway is
completed by the next lookup. The redirect is the absorbed `PROFILE` with `merged_into`, and no
longer the customer's details: once the survivor has them, the redirect keeps only its keys, its
creation time and where it points (one copy of a person's data, not two).
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.errors import TransientError
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.merge_moves import (
    identity_marker_sk,
    merged_marker_sk,
    move_conversations,
    move_items,
)
from chalicelib.store.table import Item, Table

MAX_HOPS = 8
MAX_ATTEMPTS = 4
NOT_COPIED = {"PK", "SK", "kind", "customer_id", "created_at", "updated_at", "lead"}
MAPS = ("consent", "opt_out")
REDIRECTS = ("merged_into", "merging_into", "merged_at")
PROFILE_IDENTITIES = (("store_customer_id", "customer"), ("email", "email"), ("phone", "phone"))
# What a redirect keeps of the absorbed profile (besides REDIRECTS).
REDIRECT_KEEPS = {"PK", "SK", "kind", "customer_id", "created_at"}


def redirect_of(profile: Item | None) -> str | None:
    """Where a profile redirects to (merged, or being merged), else None."""
    if not profile:
        return None
    target = profile.get("merged_into") or profile.get("merging_into")
    return str(target) if target else None


class ProfileMerger:
    """Follows redirects and merges profiles."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def final(self, customer_id: str) -> tuple[str, Item | None]:
        """The profile an id ends at after redirects, and that profile (None when absent)."""
        current = customer_id
        for _ in range(MAX_HOPS):
            profile = self.table.get(keys.customer_pk(current), keys.PROFILE)
            target = redirect_of(profile)
            if target is None:
                return current, profile
            if profile and not profile.get("merged_into"):
                self.complete(current, target)  # finish a merge interrupted halfway
            current = target
        raise TransientError("customer profile redirects do not end")

    def merge(self, absorbed: str, survivor: str) -> str:
        """Fold `absorbed` into `survivor`; safe to repeat and to race. Returns the survivor."""
        for _ in range(MAX_ATTEMPTS):
            absorbed, _ = self.final(absorbed)
            survivor, _ = self.final(survivor)
            if absorbed == survivor:
                return survivor
            if self._lock(absorbed, survivor):
                self.complete(absorbed, survivor)
                return survivor
        raise TransientError("profiles kept changing while merging them; try again")

    def _lock(self, absorbed: str, survivor: str) -> bool:
        """Mark `absorbed` as merging into `survivor`, unless either is already merging."""
        free = "attribute_not_exists(merged_into) AND attribute_not_exists(merging_into)"
        return self.table.transact(
            [
                {
                    "Update": {
                        "Key": {"PK": keys.customer_pk(absorbed), "SK": keys.PROFILE},
                        "UpdateExpression": "SET merging_into = :survivor, customer_id = :absorbed",
                        "ConditionExpression": free,
                        "ExpressionAttributeValues": {":survivor": survivor, ":absorbed": absorbed},
                    }
                },
                {
                    "ConditionCheck": {
                        "Key": {"PK": keys.customer_pk(survivor), "SK": keys.PROFILE},
                        "ConditionExpression": f"attribute_exists(PK) AND {free}",
                    }
                },
            ]
        )

    def complete(self, absorbed: str, survivor: str) -> None:
        """Every step of a merge, each idempotent; ends with the redirect."""
        profile = self.table.get(keys.customer_pk(absorbed), keys.PROFILE) or {}
        self._fold_profile(profile, survivor)
        for field, kind in PROFILE_IDENTITIES:
            if profile.get(field):
                self.repoint(kind, str(profile[field]), absorbed, survivor)
        self._move(absorbed, survivor)
        marker = {"PK": keys.customer_pk(survivor), "SK": merged_marker_sk(absorbed)}
        self.table.put({**marker, "kind": "merged", "merged_id": absorbed, "at": iso(utcnow())})
        # The details were folded into the survivor: the redirect drops them as it is written.
        folded = sorted(set(profile) - REDIRECT_KEEPS - set(REDIRECTS))
        names = {f"#d{i}": name for i, name in enumerate(folded)}
        self.table.update(
            keys.customer_pk(absorbed),
            keys.PROFILE,
            UpdateExpression="SET merged_into = :survivor, merged_at = :now REMOVE "
            + ", ".join(["merging_into", *names]),
            ExpressionAttributeValues={":survivor": survivor, ":now": iso(utcnow())},
            **({"ExpressionAttributeNames": names} if names else {}),
        )
        self._move(absorbed, survivor)  # anything written to the old profile meanwhile

    def _move(self, absorbed: str, survivor: str) -> None:
        """Items of the partition, then conversations."""
        move_items(
            self.table, absorbed, survivor, lambda k, v: self.repoint(k, v, absorbed, survivor)
        )
        move_conversations(self.table, absorbed, survivor)

    def repoint(self, kind: str, value: str, absorbed: str, survivor: str) -> None:
        """Give one identity of `absorbed` to `survivor` (left alone if someone else owns it)."""
        pk = keys.identity_pk(kind, value)
        self.table.update(
            pk,
            keys.IDENTITY,
            UpdateExpression="SET customer_id = :survivor",
            ConditionExpression="customer_id = :absorbed",
            ExpressionAttributeValues={":survivor": survivor, ":absorbed": absorbed},
        )
        owner = self.table.get(pk, keys.IDENTITY)
        if owner and owner.get("customer_id") == survivor:
            self.table.put(identity_marker(survivor, kind, value))
        self.table.delete(keys.customer_pk(absorbed), identity_marker_sk(kind, value))

    def _fold_profile(self, absorbed: Item, survivor: str) -> None:
        """Fill the survivor's missing profile fields and consent from the absorbed profile."""
        skipped = {*NOT_COPIED, *REDIRECTS, *MAPS}
        fields = {k: v for k, v in absorbed.items() if k not in skipped}
        sets = [f"#f{i} = if_not_exists(#f{i}, :f{i})" for i in range(len(fields))]
        names = {f"#f{i}": name for i, name in enumerate(fields)}
        values: dict[str, Any] = {f":f{i}": value for i, value in enumerate(fields.values())}
        sets += [f"{name} = if_not_exists({name}, :empty)" for name in MAPS]
        values.update({":empty": {}, ":now": iso(utcnow())})
        if absorbed.get("lead") is False:  # a store-known profile makes the survivor known
            sets.append("lead = :known")
            values[":known"] = False
        expression = "SET " + ", ".join([*sets, "updated_at = :now"])
        extra = {"ExpressionAttributeNames": names} if names else {}
        self.table.update(
            keys.customer_pk(survivor),
            keys.PROFILE,
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
            **extra,
        )
        consent = absorbed.get("consent") or {}
        self._fold_map(survivor, "consent", consent, "if_not_exists(consent.#c{i}, :c{i})")
        # An opt-out on either profile holds for the merged one: `true` wins.
        opt_out = absorbed.get("opt_out")
        opted_out = (
            {m: True for m, out in opt_out.items() if out is True}
            if isinstance(opt_out, dict)
            else {}
        )
        self._fold_map(survivor, "opt_out", opted_out, ":c{i}")

    def _fold_map(self, survivor: str, name: str, entries: dict[str, Any], value: str) -> None:
        """Set `name.<key>` on the survivor for each entry, as `value` (a template on i) says."""
        if not isinstance(entries, dict) or not entries:
            return
        sets = [f"{name}.#c{i} = " + value.format(i=i) for i in range(len(entries))]
        self.table.update(
            keys.customer_pk(survivor),
            keys.PROFILE,
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeNames={f"#c{i}": key for i, key in enumerate(entries)},
            ExpressionAttributeValues={f":c{i}": v for i, v in enumerate(entries.values())},
        )


def identity_marker(customer_id: str, kind: str, value: str) -> Item:
    """The item listing an identity in its owner's partition."""
    item: Item = {"PK": keys.customer_pk(customer_id), "SK": identity_marker_sk(kind, value)}
    item.update(kind="identity", identity_kind=kind, value=value)
    return item
