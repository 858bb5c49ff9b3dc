"""Delivery status of messages we sent: provider ids point back to them; statuses only move forward."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.channels.twilio.channel import STATUS_RANKS, StatusUpdate, status_rank
from chalicelib.runtime.observability import logger
from chalicelib.store import keys
from chalicelib.store.table import Table

# Our own final outcomes besides the provider's (a refused send never reaches a callback).
FINAL_RANK = max(STATUS_RANKS.values())
OUR_RANKS = {"skipped_opted_out": FINAL_RANK}


def rank(status: str | None) -> int:
    """The order of a status in a message's life, ours included."""
    return OUR_RANKS.get(status or "", status_rank(status))


def statuses_at_or_after(status: str) -> list[str]:
    """The statuses `status` may not replace: as far along as it, or further (`pending` never)."""
    known = {**STATUS_RANKS, **OUR_RANKS}
    return sorted(n for n, order in known.items() if order >= rank(status) and n != "pending")


SID_CLAIM = "CLAIM"


class SidClaimStore:
    """Which outbox message (and part) each Twilio Sid belongs to: one owner, by condition."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def claim(self, sid: str, owner: str) -> bool:
        """Make `owner` the Sid's owner; True again for the same owner, False for another."""
        item = {"PK": keys.sent_ref_pk(sid), "SK": SID_CLAIM, "claimed_by": owner}
        condition = "attribute_not_exists(PK) OR claimed_by = :owner"
        return self.table.put(item, condition, owner=owner)

    def owner(self, sid: str) -> str | None:
        """Who claimed the Sid, if anyone."""
        found = self.table.get(keys.sent_ref_pk(sid), SID_CLAIM)
        return str(found["claimed_by"]) if found else None


class DeliveryTracker:
    """Records where provider ids point and moves message statuses forward, atomically."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def remember(self, provider_ids: list[str], conversation_id: str, sk: str) -> None:
        """Point each provider id (every part of a long SMS) at the message it delivers."""
        for provider_id in provider_ids:
            self.table.put(self._ref(provider_id, conversation_id, sk))

    def advance(
        self,
        conversation_id: str,
        sk: str,
        status: str,
        provider_ids: Sequence[str] = (),
        **fields: Any,
    ) -> bool:
        """Set `status` (and `fields`) unless the message is already as far or further.

        With `provider_ids`, they are pointed at the message in the same transaction (and
        still pointed when the status could not move).
        """
        later = statuses_at_or_after(status)
        names = {"#s": "status", **{f"#f{i}": name for i, name in enumerate(fields)}}
        values = {":s": status, **{f":f{i}": value for i, value in enumerate(fields.values())}}
        values.update({f":l{i}": name for i, name in enumerate(later)})
        sets = ["#s = :s", *(f"#f{i} = :f{i}" for i in range(len(fields)))]
        # `pending`, none, or a status we do not know may always move on.
        condition = f"NOT #s IN ({', '.join(f':l{i}' for i in range(len(later)))})"
        update = {
            "UpdateExpression": "SET " + ", ".join(sets),
            "ConditionExpression": f"attribute_exists(PK) AND ({condition})",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        pk = keys.conversation_pk(conversation_id)
        if not provider_ids:
            return self.table.update(pk, sk, **update)
        refs = [{"Put": {"Item": self._ref(p, conversation_id, sk)}} for p in provider_ids]
        if self.table.transact([*refs, {"Update": {"Key": {"PK": pk, "SK": sk}, **update}}]):
            return True
        self.remember(list(provider_ids), conversation_id, sk)
        return False

    @staticmethod
    def _ref(provider_id: str, conversation_id: str, sk: str) -> dict[str, Any]:
        item = {"PK": keys.sent_ref_pk(provider_id), "SK": keys.SENT_REF}
        return {**item, "conversation_id": conversation_id, "sk": sk}

    def apply(self, update: StatusUpdate) -> bool:
        """A provider's status callback; False when unknown, or older than what is stored."""
        ref = self.table.get(keys.sent_ref_pk(update.message_sid), keys.SENT_REF)
        if ref is None:
            logger.info("status for a message we did not send", extra={"status": update.status})
            return False
        fields = {"error_code": update.error_code} if update.error_code else {}
        moved = self.advance(ref["conversation_id"], ref["sk"], update.status, **fields)
        logger.info("delivery status", extra={"status": update.status, "applied": moved})
        return moved
