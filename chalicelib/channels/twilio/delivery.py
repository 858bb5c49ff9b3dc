"""Delivery status of messages we sent: provider ids point back to them; statuses only move forward."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
        return self.table.put(*claim_put(sid, owner), owner=owner)

    def owner(self, sid: str) -> str | None:
        """Who claimed the Sid, if anyone."""
        found = self.table.get(keys.sent_ref_pk(sid), SID_CLAIM)
        return str(found["claimed_by"]) if found else None


def claim_put(sid: str, owner: str) -> tuple[dict[str, str], str]:
    """The claim of a Sid by `owner`: its item and its condition (`:owner` is `owner`)."""
    item = {"PK": keys.sent_ref_pk(sid), "SK": SID_CLAIM, "claimed_by": owner}
    return item, "attribute_not_exists(PK) OR claimed_by = :owner"


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
        *,
        claims: Mapping[str, str] | None = None,
        **fields: Any,
    ) -> bool:
        """Set `status` (and `fields`) unless the message is already as far or further.

        With `provider_ids`, they are pointed at the message in the same transaction (and
        still pointed when the status could not move). `claims` (Sid -> owner, from
        TwilioSendResult) are claimed in that transaction too; when it fails they are claimed
        one by one, as the sender would have, and the rest is written without them.
        """
        if claims and provider_ids:
            puts = [{"Put": self._claim(sid, owner)} for sid, owner in claims.items()]
            if self._transact(conversation_id, sk, status, provider_ids, fields, puts):
                return True
            self.claim_apart(claims)
        return self._advance(conversation_id, sk, status, provider_ids, fields)

    def claim_apart(self, claims: Mapping[str, str]) -> None:
        """Claim each Sid on its own (a failure is logged: the message went out)."""
        from chalicelib.channels.twilio.outbound import claim_answered

        store = SidClaimStore(self.table)
        for sid, owner in claims.items():
            claim_answered(store, sid, owner)

    def _advance(
        self,
        conversation_id: str,
        sk: str,
        status: str,
        provider_ids: Sequence[str],
        fields: dict[str, Any],
    ) -> bool:
        """`advance` without claims."""
        if not provider_ids:
            update = self._status_update(status, fields)
            return self.table.update(keys.conversation_pk(conversation_id), sk, **update)
        if self._transact(conversation_id, sk, status, provider_ids, fields):
            return True
        self.remember(list(provider_ids), conversation_id, sk)
        return False

    def _transact(
        self,
        conversation_id: str,
        sk: str,
        status: str,
        provider_ids: Sequence[str],
        fields: dict[str, Any],
        also: Sequence[dict[str, Any]] = (),
    ) -> bool:
        """One transaction: the provider ids pointed at the message, its status moved (and
        `also`); False when a condition failed."""
        pk = keys.conversation_pk(conversation_id)
        update = self._status_update(status, fields)
        refs = [{"Put": {"Item": self._ref(p, conversation_id, sk)}} for p in provider_ids]
        return self.table.transact(
            [*refs, *also, {"Update": {"Key": {"PK": pk, "SK": sk}, **update}}]
        )

    @staticmethod
    def _status_update(status: str, fields: dict[str, Any]) -> dict[str, Any]:
        """The UpdateItem arguments that set `status` and `fields`, unless the message is as
        far or further already."""
        later = statuses_at_or_after(status)
        names = {"#s": "status", **{f"#f{i}": name for i, name in enumerate(fields)}}
        values = {":s": status, **{f":f{i}": value for i, value in enumerate(fields.values())}}
        values.update({f":l{i}": name for i, name in enumerate(later)})
        sets = ["#s = :s", *(f"#f{i} = :f{i}" for i in range(len(fields)))]
        # `pending`, none, or a status we do not know may always move on.
        condition = f"NOT #s IN ({', '.join(f':l{i}' for i in range(len(later)))})"
        return {
            "UpdateExpression": "SET " + ", ".join(sets),
            "ConditionExpression": f"attribute_exists(PK) AND ({condition})",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    @staticmethod
    def _claim(sid: str, owner: str) -> dict[str, Any]:
        item, condition = claim_put(sid, owner)
        values = {":owner": owner}
        return {"Item": item, "ConditionExpression": condition, "ExpressionAttributeValues": values}

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
        fields: dict[str, Any] = {"error_code": update.error_code} if update.error_code else {}
        moved = self.advance(ref["conversation_id"], ref["sk"], update.status, **fields)
        logger.info("delivery status", extra={"status": update.status, "applied": moved})
        return moved
