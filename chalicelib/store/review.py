"""Review data: facts on META, flag and feedback items, idle timers, all read through GSI2."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib.store import keys
from chalicelib.store.table import Item, Table

INDEX = "GSI2"


class ReviewRepository:
    """Reads and writes what review and metrics need; never scans the table."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def record_once(self, conversation_id: str, **facts: Any) -> bool:
        """Set facts on META only where not set yet (first response, resolved_at, csat...)."""
        names = {f"#f{i}": name for i, name in enumerate(facts)}
        values = {f":f{i}": value for i, value in enumerate(facts.values())}
        sets = ", ".join(f"#f{i} = if_not_exists(#f{i}, :f{i})" for i in range(len(facts)))
        return self.table.update(
            keys.conversation_pk(conversation_id),
            keys.META,
            UpdateExpression=f"SET {sets}",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def add_count(self, conversation_id: str, name: str) -> None:
        """Add one to a counter on META (reopen_count, escalation_count)."""
        self.table.update(
            keys.conversation_pk(conversation_id),
            keys.META,
            UpdateExpression="ADD #n :one",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames={"#n": name},
            ExpressionAttributeValues={":one": 1},
        )

    def facts(self, conversation_id: str) -> Item | None:
        """The conversation's META item (state and facts), or None."""
        return self.table.get(keys.conversation_pk(conversation_id), keys.META)

    def flag(self, conversation_id: str, flag: str, at: str, **details: Any) -> bool:
        """Flag a conversation for review once; False when it already carries the flag."""
        item = {
            "PK": keys.conversation_pk(conversation_id),
            "SK": keys.flag_sk(flag),
            "GSI2PK": keys.flag_gsi(flag),
            "GSI2SK": f"{at}#{conversation_id}",
            "conversation_id": conversation_id,
            "flag": flag,
            "flagged_at": at,
            **details,
        }
        return self.table.put_new(item)

    def flags_of(self, conversation_id: str) -> list[str]:
        """The review flags a conversation carries."""
        items = self.table.query(keys.conversation_pk(conversation_id), "FLAG#")
        return sorted(str(item["flag"]) for item in items)

    def flagged(
        self, flag: str, since: str, limit: int, start: Item | None = None
    ) -> tuple[list[Item], Item | None]:
        """One page of flag items, newest first, and the key to continue from (or None)."""
        page = self._index_page(keys.flag_gsi(flag), since, limit, start, newest_first=True)
        return page

    def add_feedback(self, conversation_id: str, feedback: Item) -> None:
        """Store a reviewer's feedback (GSI2 `MISSES` by time)."""
        created_at, feedback_id = feedback["created_at"], feedback["feedback_id"]
        item = {
            "PK": keys.conversation_pk(conversation_id),
            "SK": keys.feedback_sk(created_at, feedback_id),
            "GSI2PK": keys.MISSES_GSI,
            "GSI2SK": f"{created_at}#{feedback_id}",
            **feedback,
        }
        self.table.put_new(item)

    def feedback_of(self, conversation_id: str) -> list[Item]:
        """The feedback given on one conversation, oldest first."""
        return self.table.query(keys.conversation_pk(conversation_id), "FEEDBACK#")

    def feedback_since(self, since: str, until: str = "~") -> list[Item]:
        """Every feedback item given in [since, until), oldest first."""
        return list(self._index_all(keys.MISSES_GSI, since, until))

    def started(self, day: str, since: str, until: str) -> list[Item]:
        """The METAs of conversations started on one UTC day within [since, until)."""
        return list(self._index_all(keys.started_gsi(day), since, until))

    def put_idle(self, item: Item) -> None:
        """Store an IDLE item made by `idle_item`."""
        self.table.put(item)

    @staticmethod
    def idle_item(conversation_id: str, due: str, last_reply_at: str) -> Item:
        """The IDLE item of a conversation that falls due at `due` (GSI2 `IDLE#ai` by due time)."""
        pk = keys.conversation_pk(conversation_id)
        item = {"PK": pk, "SK": keys.IDLE, "GSI2PK": keys.IDLE_GSI, "GSI2SK": f"{due}#{pk}"}
        return {**item, "conversation_id": conversation_id, "last_reply_at": last_reply_at}

    def clear_idle(self, conversation_id: str) -> None:
        """The conversation is no longer waiting on a quiet customer."""
        self.table.delete(keys.conversation_pk(conversation_id), keys.IDLE)

    def idle_due(self, now: str, limit: int = 100) -> list[Item]:
        """IDLE items that fell due before `now`, oldest first."""
        return list(self._index_all(keys.IDLE_GSI, "0", now, limit))

    def _index_page(
        self, pk: str, since: str, limit: int, start: Item | None, newest_first: bool
    ) -> tuple[list[Item], Item | None]:
        return self.table.page(
            start,
            IndexName=INDEX,
            KeyConditionExpression="GSI2PK = :pk AND GSI2SK >= :since",
            ExpressionAttributeValues={":pk": pk, ":since": since},
            ScanIndexForward=not newest_first,
            Limit=limit,
        )

    def _index_all(self, pk: str, since: str, until: str, cap: int = 5000) -> Iterator[Item]:
        condition = "GSI2PK = :pk AND GSI2SK BETWEEN :since AND :until"
        values = {":pk": pk, ":since": since, ":until": until}
        seen, start = 0, None
        while seen < cap:
            items, start = self.table.page(
                start,
                IndexName=INDEX,
                KeyConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
            for item in items[: cap - seen]:
                seen += 1
                yield item
            if start is None:
                return
