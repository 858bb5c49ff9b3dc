"""Moving a merged profile's items and conversations to the surviving profile (idempotent)."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.store import keys
from chalicelib.store.table import Item, Table

NEWER_OR_ABSENT = "attribute_not_exists(PK) OR updated_at <= :updated_at"
IDENTITY_MARKER = "IDENT#"
VERSIONED = ("ORDER#", keys.CART)  # the newer of two versions wins, by the store's updated_at

RepointIdentity = Callable[[str, str], None]


def identity_marker_sk(kind: str, value: str) -> str:
    """The sort key, in a customer's partition, listing one identity the customer owns."""
    return f"{IDENTITY_MARKER}{kind}#{value}"


def merged_marker_sk(absorbed: str) -> str:
    """The sort key, in the survivor's partition, recording a profile merged into it."""
    return f"MERGED#{absorbed}"


def move_items(table: Table, absorbed: str, survivor: str, repoint: RepointIdentity) -> int:
    """Move every item but the profile to the survivor; identities go through `repoint`."""
    moved = 0
    for item in table.query(keys.customer_pk(absorbed)):
        sk = str(item["SK"])
        if sk == keys.PROFILE:
            continue
        if sk.startswith(IDENTITY_MARKER):
            repoint(str(item["identity_kind"]), str(item["value"]))
        else:
            _copy(table, item, absorbed, survivor)
        table.delete(keys.customer_pk(absorbed), sk)
        moved += 1
    return moved


def _copy(table: Table, item: Item, absorbed: str, survivor: str) -> None:
    """Write one item into the survivor's partition, never over a newer or an own version."""
    copy = {**item, "PK": keys.customer_pk(survivor)}
    if "customer_id" in copy:
        copy["customer_id"] = survivor
    sk = str(item["SK"])
    if sk.startswith(VERSIONED) and item.get("updated_at"):
        table.put(copy, NEWER_OR_ABSENT, updated_at=item["updated_at"])
    else:
        table.put_new(copy)  # a thread or an event the survivor already has stays theirs
    if sk.startswith("ORDER#") and item.get("order_id"):
        _repoint_order(table, str(item["order_id"]), absorbed, survivor)


def _repoint_order(table: Table, order_id: str, absorbed: str, survivor: str) -> None:
    """Point the order id's reference at the survivor."""
    table.update(
        keys.order_ref_pk(order_id),
        "ORDERREF",
        UpdateExpression="SET customer_id = :survivor",
        ConditionExpression="customer_id = :absorbed",
        ExpressionAttributeValues={":survivor": survivor, ":absorbed": absorbed},
    )


def move_conversations(table: Table, absorbed: str, survivor: str) -> int:
    """Give the absorbed profile's conversations (GSI1) to the survivor: META and GSI1 keys."""
    moved = 0
    for conversation in table.query_index("GSI1", keys.customer_conversations_gsi(absorbed)):
        moved += table.update(
            str(conversation["PK"]),
            keys.META,
            UpdateExpression="SET customer_id = :survivor, GSI1PK = :gsi",
            ConditionExpression="customer_id = :absorbed",
            ExpressionAttributeValues={
                ":survivor": survivor,
                ":absorbed": absorbed,
                ":gsi": keys.customer_conversations_gsi(survivor),
            },
        )
    return moved
