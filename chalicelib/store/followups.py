"""Follow-up records in the customer partition, with one pending follow-up per product."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.followups import FINAL, FollowUp
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import Item, Table

RECORD_FIELDS = set(FollowUp.model_fields)


class FollowUpRepository:
    """Reads and writes `FOLLOWUP#<id>` items and their `PENDING#FOLLOWUP#<sku>` locks."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def create(self, followup: FollowUp) -> bool:
        """Store a new follow-up and take its product's lock; False when one is pending."""
        now = iso(utcnow())
        followup.created_at = followup.updated_at = now
        pk = keys.customer_pk(followup.customer_id)
        lock = {"PK": pk, "SK": keys.pending_followup_sk(followup.sku)}
        lock.update(followup_id=followup.followup_id, created_at=now)
        item = {"PK": pk, "SK": keys.followup_sk(followup.followup_id), "kind": "followup"}
        item.update(followup.model_dump(mode="json"))
        return self.table.transact(
            [
                {"Put": {"Item": lock, "ConditionExpression": "attribute_not_exists(PK)"}},
                {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}},
            ]
        )

    def record_final(self, followup: FollowUp) -> None:
        """Store a follow-up that ended before it was scheduled (no lock taken)."""
        followup.created_at = followup.updated_at = iso(utcnow())
        pk = keys.customer_pk(followup.customer_id)
        item = {"PK": pk, "SK": keys.followup_sk(followup.followup_id), "kind": "followup"}
        self.table.put({**item, **followup.model_dump(mode="json")})

    def get(self, customer_id: str, followup_id: str) -> FollowUp | None:
        """One follow-up, or None."""
        item = self.table.get(keys.customer_pk(customer_id), keys.followup_sk(followup_id))
        if item is None:  # the schedule may name a profile merged into another since
            from chalicelib.store.merge import ProfileMerger

            survivor = ProfileMerger(self.table).final(customer_id)[0]
            if survivor != customer_id:
                item = self.table.get(keys.customer_pk(survivor), keys.followup_sk(followup_id))
        return _followup(item) if item else None

    def pending_for(self, customer_id: str, sku: str) -> FollowUp | None:
        """The pending follow-up of this customer about this product, or None."""
        lock = self.table.get(keys.customer_pk(customer_id), keys.pending_followup_sk(sku))
        return self.get(customer_id, str(lock["followup_id"])) if lock else None

    def pending(self, customer_id: str) -> list[FollowUp]:
        """The customer's follow-ups still waiting to be sent."""
        items = self.table.query(keys.customer_pk(customer_id), "FOLLOWUP#")
        return [f for f in map(_followup, items) if f.status == "scheduled"]

    def transition(
        self, followup: FollowUp, expected: str, new: str, stale_before: str = "", **fields: Any
    ) -> bool:
        """Move the status from `expected` to `new` (and set fields); False when it was elsewhere.

        A final status releases the product's lock in the same transaction. With `stale_before`,
        a `sending` claim older than that time may be taken over (a crashed send).
        """
        update = self._update(followup, expected, new, stale_before, fields)
        if new not in FINAL:
            return self.table.update(**update)
        lock = {"PK": update["pk"], "SK": keys.pending_followup_sk(followup.sku)}
        release = {
            "Delete": {
                "Key": lock,
                "ConditionExpression": "attribute_not_exists(PK) OR followup_id = :id",
                "ExpressionAttributeValues": {":id": followup.followup_id},
            }
        }
        body = {k: v for k, v in update.items() if k not in {"pk", "sk"}}
        body["Key"] = {"PK": update["pk"], "SK": update["sk"]}
        return self.table.transact([{"Update": body}, release])

    def _update(
        self, followup: FollowUp, expected: str, new: str, stale: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        values = {**fields, "status": new, "updated_at": iso(utcnow())}
        names = {f"#f{i}": name for i, name in enumerate(values)}
        attrs: dict[str, Any] = {f":f{i}": value for i, value in enumerate(values.values())}
        attrs[":expected"] = expected
        condition = "#f_status = :expected"
        if stale:
            attrs[":stale"] = stale
            condition = f"({condition} OR (#f_status = :sending AND updated_at < :stale))"
            attrs[":sending"] = "sending"
        return {
            "pk": keys.customer_pk(followup.customer_id),
            "sk": keys.followup_sk(followup.followup_id),
            "UpdateExpression": "SET " + ", ".join(f"#f{i} = :f{i}" for i in range(len(values))),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {**names, "#f_status": "status"},
            "ExpressionAttributeValues": attrs,
        }


def _followup(item: Item) -> FollowUp:
    return FollowUp.model_validate({k: v for k, v in item.items() if k in RECORD_FIELDS})
