"""Escalation records: the packet written with the ai -> human transition, before it is queued."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.conversations import Ownership
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import Item, Table


class EscalationRepository:
    """Reads and writes a conversation's escalation records and its handoff fields on META."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, conversation_id: str, escalation_id: str) -> Item | None:
        """The escalation record (with its packet), or None."""
        return self.table.get(
            keys.conversation_pk(conversation_id), keys.escalation_sk(escalation_id)
        )

    def open(self, packet: dict[str, Any]) -> bool:
        """Move ai -> human and record the packet in one transaction; False if either was done."""
        conversation_id, escalation_id = packet["conversation_id"], packet["escalation_id"]
        pk, now = keys.conversation_pk(conversation_id), iso(utcnow())
        record = {"PK": pk, "SK": keys.escalation_sk(escalation_id), "packet": packet}
        record.update(status="pending", created_at=now)
        handoff = {
            "Key": {"PK": pk, "SK": keys.META},
            "UpdateExpression": "SET #state = :human, updated_at = :now, #meta.respond_by = :by, "
            "#meta.escalation_id = :eid, #meta.human_since = :now",
            "ConditionExpression": "#state = :ai",
            "ExpressionAttributeNames": {"#state": "state", "#meta": "meta"},
            "ExpressionAttributeValues": {
                ":human": Ownership.HUMAN.value,
                ":ai": Ownership.AI.value,
                ":now": now,
                ":by": packet["respond_by"],
                ":eid": escalation_id,
            },
        }
        new_record = {"Item": record, "ConditionExpression": "attribute_not_exists(PK)"}
        return self.table.transact([{"Update": handoff}, {"Put": new_record}])

    def mark_done(self, conversation_id: str, escalation_id: str, status: str = "sent") -> None:
        """Record that the escalation was queued (or superseded): later turns skip it."""
        pk, now = keys.conversation_pk(conversation_id), iso(utcnow())
        if status == "sent":
            self.table.update(
                pk,
                keys.escalation_sk(escalation_id),
                UpdateExpression="SET #status = :status, sent_at = :now",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":status": status, ":now": now},
            )
        self.set_meta(conversation_id, handoff_done=escalation_id)

    def set_meta(self, conversation_id: str, **fields: Any) -> None:
        """Set keys inside the conversation's `meta` map (what `Conversation.meta` reads)."""
        names = {"#meta": "meta", **{f"#k{i}": name for i, name in enumerate(fields)}}
        values = {f":v{i}": value for i, value in enumerate(fields.values())}
        sets = ", ".join(f"#meta.#k{i} = :v{i}" for i in range(len(fields)))
        self.table.update(
            keys.conversation_pk(conversation_id),
            keys.META,
            UpdateExpression=f"SET {sets}",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
