"""Conversations: META plus messages in one partition; each message id written once."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.messages import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import Item, Table


class MessageListener(Protocol):
    """Told of each message stored for the first time (review facts, flags, idle timers)."""

    def on_message(self, conversation_id: str, message: StoredMessage) -> None:
        """React to a newly stored message."""
        ...


class ConversationRepository:
    """Reads and writes conversations and their messages."""

    def __init__(self, table: Table, listener: MessageListener | None = None) -> None:
        self.table = table
        self.listener = listener

    def create(self, conversation: Conversation) -> bool:
        """Store a new conversation; False when the id exists."""
        item = conversation.model_dump(mode="json", exclude={"messages"})
        item.update(PK=keys.conversation_pk(conversation.conversation_id), SK=keys.META)
        if conversation.customer_id:
            item["GSI1PK"] = keys.customer_conversations_gsi(conversation.customer_id)
            item["GSI1SK"] = conversation.created_at
        # Metrics read conversations by the day they started (GSI2), never by a table scan.
        item["GSI2PK"] = keys.started_gsi(conversation.created_at)
        item["GSI2SK"] = f"{conversation.created_at}#{conversation.conversation_id}"
        return self.table.put_new(item)

    def load(self, conversation_id: str) -> Conversation | None:
        """The conversation with every message, oldest first, in one Query."""
        items = self.table.query(keys.conversation_pk(conversation_id))
        meta = next((i for i in items if i["SK"] == keys.META), None)
        if meta is None:
            return None
        conversation = Conversation.model_validate(meta)
        conversation.messages = [_message(i) for i in items if str(i["SK"]).startswith("MSG#")]
        return conversation

    def add_message(
        self, conversation_id: str, message: StoredMessage, owner: Ownership | None = None
    ) -> bool:
        """Store a message once per id (only while `owner` owns it, if given); False if not."""
        pk = keys.conversation_pk(conversation_id)
        sk = keys.message_sk(message.created_at, message.message_id)
        item = {"PK": pk, "SK": sk, **message.model_dump(mode="json", exclude={"sk"})}
        marker = {"PK": pk, "SK": f"MSGID#{message.message_id}", "sk": sk}
        actions: list[Item] = [
            {"Put": {"Item": marker, "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": {"Item": item}},
        ]
        if owner is not None:
            actions.append(_owned_by(pk, owner))
        written = self.table.transact(actions)
        message.sk = sk
        if written and self.listener:
            self.listener.on_message(conversation_id, message)
        return written

    def update_message(self, conversation_id: str, sk: str, **fields: Any) -> None:
        """Set fields on a stored message."""
        names = {f"#{i}": name for i, name in enumerate(fields)}
        values = {f":{i}": value for i, value in enumerate(fields.values())}
        expression = "SET " + ", ".join(f"#{i} = :{i}" for i in range(len(fields)))
        self.table.update(
            keys.conversation_pk(conversation_id),
            sk,
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def claim_message(self, conversation_id: str, sk: str, now: str, until: str) -> bool:
        """Take the send of a pending message (or one whose claim lapsed) until `until`."""
        return self.table.update(
            keys.conversation_pk(conversation_id),
            sk,
            UpdateExpression="SET #s = :claimed, claimed_until = :until",
            ConditionExpression="#s = :pending OR (#s = :claimed AND claimed_until < :now)",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":claimed": "claimed",
                ":pending": "pending",
                ":until": until,
                ":now": now,
            },
        )

    def release_message(self, conversation_id: str, sk: str) -> bool:
        """Give a claimed message back (its send failed and will be retried)."""
        return self.table.update(
            keys.conversation_pk(conversation_id),
            sk,
            UpdateExpression="SET #s = :pending REMOVE claimed_until",
            ConditionExpression="#s = :claimed",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":claimed": "claimed", ":pending": "pending"},
        )

    def set_state(self, conversation_id: str, new: Ownership, expected: set[Ownership]) -> bool:
        """Move ownership only from one of the expected states; False when it was elsewhere."""
        values = {":new": new.value, ":now": iso(utcnow())}
        values.update({f":e{i}": state.value for i, state in enumerate(sorted(expected))})
        allowed = ", ".join(f":e{i}" for i in range(len(expected)))
        return self.table.update(
            keys.conversation_pk(conversation_id),
            keys.META,
            UpdateExpression="SET #state = :new, updated_at = :now",
            ConditionExpression=f"#state IN ({allowed})",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues=values,
        )

    def for_customer(self, customer_id: str, limit: int = 50) -> list[dict[str, Any]]:
        """A customer's conversations (GSI1), newest first: id, channel, state, times."""
        gsi = keys.customer_conversations_gsi(customer_id)
        items = self.table.query_index("GSI1", gsi, newest_first=True, limit=limit)
        shown = ("conversation_id", "channel", "state", "verified", "created_at", "updated_at")
        return [{key: item.get(key) for key in shown} for item in items]

    def update_meta(self, conversation_id: str, **fields: Any) -> None:
        """Set fields on the conversation's META (thread ids, window times, flags)."""
        self.update_message(conversation_id, keys.META, **fields)


def _owned_by(pk: str, owner: Ownership) -> Item:
    """A transaction check: the conversation is still owned by `owner`."""
    check = {"Key": {"PK": pk, "SK": keys.META}, "ConditionExpression": "#state = :owner"}
    check.update(
        ExpressionAttributeNames={"#state": "state"},
        ExpressionAttributeValues={":owner": owner.value},
    )
    return {"ConditionCheck": check}


def _message(item: Item) -> StoredMessage:
    message = StoredMessage.model_validate(item)
    message.sk = str(item["SK"])
    return message
