"""A store's customer data on the profile, newest first: a stale event never reverts anything.

The profile keeps `store_updated_at`, the store's time of the newest customer event applied, and
`consent_at.<key>`, when each consent was last set (by the store, or by the customer themselves
through an unsubscribe link or STOP). An event older than `store_updated_at` changes nothing; a
consent is only set by an event at least as new as its `consent_at`, so a replayed "subscribed" never
undoes a later unsubscribe. Conditional writes make both hold against concurrent writers too.
"""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.table import Table

ATTEMPTS = 3
NOT_NEWER = "(attribute_not_exists(store_updated_at) OR store_updated_at <= :at)"


def apply_store_profile(
    table: Table, customer_id: str, fields: dict[str, Any], consent: dict[str, bool], at: str
) -> bool:
    """Write the store's fields and consent as of `at` unless newer data is stored; False if stale."""
    pk = keys.customer_pk(customer_id)
    _ensure_maps(table, pk)
    for _ in range(ATTEMPTS):
        profile = table.get(pk, keys.PROFILE) or {}
        if str(profile.get("store_updated_at") or "") > at:
            return False
        stamps = profile.get("consent_at") or {}
        changes = {k: v for k, v in consent.items() if str(stamps.get(k) or "") <= at}
        if table.update(pk, keys.PROFILE, **_update(fields, changes, at)):
            return True
    return False  # lost the race to newer writers every time: theirs is the newer data


def record_consent_time(table: Table, customer_id: str, key: str, at: str) -> None:
    """`consent_at.<key>` = at: a consent the customer set themselves (unsubscribe, STOP)."""
    pk = keys.customer_pk(customer_id)
    _ensure_maps(table, pk)
    table.update(
        pk,
        keys.PROFILE,
        UpdateExpression="SET consent_at.#k = :at",
        ExpressionAttributeNames={"#k": key},
        ExpressionAttributeValues={":at": at},
    )


def _ensure_maps(table: Table, pk: str) -> None:
    """`consent` and `consent_at` exist as maps (a path into a map needs the map first)."""
    table.update(
        pk,
        keys.PROFILE,
        UpdateExpression="SET consent = if_not_exists(consent, :empty), "
        "consent_at = if_not_exists(consent_at, :empty)",
        ExpressionAttributeValues={":empty": {}},
    )


def _update(fields: dict[str, Any], consent: dict[str, bool], at: str) -> dict[str, Any]:
    """The UpdateItem arguments: fields, consent keys with their times, all conditional."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {":at": at}
    sets, conditions = ["store_updated_at = :at"], [NOT_NEWER]
    for i, (name, value) in enumerate(fields.items()):
        names[f"#f{i}"], values[f":f{i}"] = name, value
        sets.append(f"#f{i} = :f{i}")
    for i, (key, given) in enumerate(consent.items()):
        names[f"#c{i}"], values[f":c{i}"] = key, given
        sets += [f"consent.#c{i} = :c{i}", f"consent_at.#c{i} = :at"]
        conditions.append(f"(attribute_not_exists(consent_at.#c{i}) OR consent_at.#c{i} <= :at)")
    arguments: dict[str, Any] = {
        "UpdateExpression": "SET " + ", ".join(sets),
        "ConditionExpression": " AND ".join(conditions),
        "ExpressionAttributeValues": values,
    }
    if names:
        arguments["ExpressionAttributeNames"] = names
    return arguments
