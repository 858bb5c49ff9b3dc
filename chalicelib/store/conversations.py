"""Conversations: META plus messages in one partition; each message id written once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import Item, Table
from chalicelib.store.transcript_pages import TranscriptPage, cursor_of, sk_of_cursor

# The items a turn reads from its conversation's Query: two exchanges (or META and fewer
# messages). What came before reaches the agent through the running summary on META
# (chalicelib.agent.dialogue.fold_summary).
WINDOW = 4
# Every message's sort key (MSG#<time>#<id>) sorts between these; markers (MSGID#) after.
MESSAGES_START = "MSG#"
MESSAGES_END = "MSG$"


@dataclass
class MessageEffects:
    """What storing a message implies beyond its own items (review facts, idle timer, flags)."""

    once: dict[str, Any] = field(default_factory=dict)  # META facts set only where not set yet
    idle: Item | None = None  # the IDLE item to put
    clear_idle: bool = False
    after: list[Callable[[], Any]] = field(default_factory=list)  # once the message is stored


class MessageListener(Protocol):
    """Told of each message stored for the first time (review facts, flags, idle timers)."""

    def on_message(self, conversation_id: str, message: StoredMessage) -> None:
        """React to a newly stored message."""
        ...

    def effects(self, conversation_id: str, message: StoredMessage) -> MessageEffects:
        """The same reaction as writes, for a caller that stores messages in one transaction."""
        ...


@dataclass
class TurnWrite:
    """A turn's writes to one conversation, made together by `ConversationRepository.commit`."""

    conversation: Conversation
    messages: list[StoredMessage] = field(default_factory=list)  # new, in the order written
    meta: dict[str, Any] = field(default_factory=dict)  # fields set on META
    new: bool = False  # META does not exist yet: created by this write
    thread: Item | None = None  # the customer's THREAD pointer, put with it

    def __bool__(self) -> bool:
        return bool(self.messages or self.meta or self.new or self.thread)

    def clear(self) -> None:
        """Written: nothing is left to write."""
        self.messages, self.meta, self.new, self.thread = [], {}, False, None


class ConversationRepository:
    """Reads and writes conversations and their messages."""

    def __init__(self, table: Table, listener: MessageListener | None = None) -> None:
        self.table = table
        self.listener = listener

    def create(self, conversation: Conversation) -> bool:
        """Store a new conversation; False when the id exists."""
        return self.table.put_new(_meta_item(conversation))

    def load(self, conversation_id: str) -> Conversation | None:
        """The conversation with every message, oldest first, in one Query."""
        items = self.table.query(keys.conversation_pk(conversation_id))
        meta = next((i for i in items if i["SK"] == keys.META), None)
        if meta is None:
            return None
        conversation = Conversation.model_validate(meta)
        conversation.messages = [_message(i) for i in items if str(i["SK"]).startswith("MSG#")]
        return conversation

    def load_meta(self, conversation_id: str) -> Conversation | None:
        """The conversation's META alone (no messages): one GetItem."""
        meta = self.table.get(keys.conversation_pk(conversation_id), keys.META)
        return Conversation.model_validate(meta) if meta else None

    def load_recent(self, conversation_id: str, last: int = WINDOW) -> Conversation | None:
        """The conversation with its `last` messages, oldest first: a turn's bounded read.

        One Query, newest first, of at most `last` items between META and the last message: a
        conversation of fewer messages comes whole with its META; a longer one gives its `last`
        newest messages and its META comes by key (a GetItem), the running summary on META
        holding what the older messages said. Never the markers, never more than `last`
        messages, whatever the conversation's length: `load` and `page` are for the helpdesk.
        """
        pk = keys.conversation_pk(conversation_id)
        items, _ = self.table.page(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :meta AND :after",
            ExpressionAttributeValues={":pk": pk, ":meta": keys.META, ":after": MESSAGES_END},
            ScanIndexForward=False,
            Limit=last,
            ConsistentRead=True,
        )
        meta = next((i for i in items if i["SK"] == keys.META), None)
        if meta is None and len(items) == last:  # the window is full: META lies further
            meta = self.table.get(pk, keys.META)
        if meta is None:
            return None
        conversation = Conversation.model_validate(meta)
        messages = [i for i in items if str(i["SK"]).startswith("MSG#")]
        conversation.messages = [_message(i) for i in reversed(messages)]
        conversation.earlier = len(messages) == last  # older messages may be left out
        return conversation

    def page(self, conversation_id: str, cursor: str | None, limit: int) -> TranscriptPage:
        """Up to `limit` messages after `cursor` (from the first), oldest first, and the next cursor."""
        return self.after(conversation_id, sk_of_cursor(cursor) if cursor else None, limit)

    def after(self, conversation_id: str, sk: str | None, limit: int) -> TranscriptPage:
        """Up to `limit` messages whose sort key comes after `sk` (a MSG# key; None: the first)."""
        pk = keys.conversation_pk(conversation_id)
        items, last = self.table.page(
            start={"PK": pk, "SK": sk} if sk else None,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :after",
            ExpressionAttributeValues={":pk": pk, ":first": MESSAGES_START, ":after": MESSAGES_END},
            Limit=limit,
            ConsistentRead=True,
        )
        messages = [_message(i) for i in items]
        following = cursor_of(messages[-1].sk) if last and messages else None
        return TranscriptPage(messages, following)

    def add_message(
        self, conversation_id: str, message: StoredMessage, owner: Ownership | None = None
    ) -> bool:
        """Store a message once per id (only while `owner` owns it, if given); False if not."""
        pk = keys.conversation_pk(conversation_id)
        actions = _message_actions(pk, message)
        if owner is not None:
            actions.append(_owned_by(pk, owner))
        written = self.table.transact(actions)
        if written and self.listener:
            self.listener.on_message(conversation_id, message)
        return written

    def commit(self, write: TurnWrite, owner: Ownership | None = None) -> bool:
        """A turn's messages, META fields, review facts and idle timer in one transaction.

        False when a condition failed (a message already stored, the conversation created
        meanwhile, or no longer owned by `owner`): then nothing was written.
        """
        conversation = write.conversation
        pk = keys.conversation_pk(conversation.conversation_id)
        actions = [action for m in write.messages for action in _message_actions(pk, m)]
        effects = self._effects(conversation.conversation_id, write.messages)
        if write.new:
            item = {**_meta_item(conversation), **write.meta, **effects.once}
            actions.append({"Put": {"Item": item, "ConditionExpression": NEW}})
        else:
            actions.append(_meta_update(pk, write.meta, effects.once, owner))
        if effects.idle:
            actions.append({"Put": {"Item": effects.idle}})
        elif effects.clear_idle:
            actions.append({"Delete": {"Key": {"PK": pk, "SK": keys.IDLE}}})
        if write.thread:
            actions.append({"Put": {"Item": write.thread}})
        if not self.table.transact(actions):
            return False
        for step in effects.after:
            step()
        return True

    def _effects(self, conversation_id: str, messages: list[StoredMessage]) -> MessageEffects:
        """The listener's effects of several messages stored at once: first facts, last timer."""
        combined = MessageEffects()
        if self.listener is None:
            return combined
        for message in messages:
            effects = self.listener.effects(conversation_id, message)
            combined.once = {**effects.once, **combined.once}
            if effects.idle or effects.clear_idle:
                combined.idle, combined.clear_idle = effects.idle, effects.clear_idle
            combined.after.extend(effects.after)
        return combined

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


NEW = "attribute_not_exists(PK)"


def _meta_item(conversation: Conversation) -> Item:
    """A conversation's META item, with the indexes metrics and the customer view read."""
    item = conversation.model_dump(mode="json", exclude={"messages"})
    item.update(PK=keys.conversation_pk(conversation.conversation_id), SK=keys.META)
    if conversation.customer_id:
        item["GSI1PK"] = keys.customer_conversations_gsi(conversation.customer_id)
        item["GSI1SK"] = conversation.created_at
    # Metrics read conversations by the day they started (GSI2), never by a table scan.
    item["GSI2PK"] = keys.started_gsi(conversation.created_at)
    item["GSI2SK"] = f"{conversation.created_at}#{conversation.conversation_id}"
    return item


def _message_actions(pk: str, message: StoredMessage) -> list[Item]:
    """A message's item and its `MSGID#` marker, which only the first write may create."""
    sk = keys.message_sk(message.created_at, message.message_id)
    message.sk = sk
    item = {"PK": pk, "SK": sk, **message.model_dump(mode="json", exclude={"sk"})}
    marker = {"PK": pk, "SK": f"MSGID#{message.message_id}", "sk": sk}
    return [{"Put": {"Item": marker, "ConditionExpression": NEW}}, {"Put": {"Item": item}}]


def _meta_update(
    pk: str, fields: dict[str, Any], once: dict[str, Any], owner: Ownership | None
) -> Item:
    """One update of META: fields set, facts set where unset, under the owner's condition."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    sets: list[str] = []
    for i, (name, value) in enumerate(fields.items()):
        names[f"#m{i}"], values[f":m{i}"] = name, value
        sets.append(f"#m{i} = :m{i}")
    for i, (name, value) in enumerate(once.items()):
        names[f"#o{i}"], values[f":o{i}"] = name, value
        sets.append(f"#o{i} = if_not_exists(#o{i}, :o{i})")
    condition = "attribute_exists(PK)"
    if owner is not None:
        names["#state"], values[":owner"] = "state", owner.value
        condition += " AND #state = :owner"
    update: Item = {"Key": {"PK": pk, "SK": keys.META}, "ConditionExpression": condition}
    if sets:
        update["UpdateExpression"] = "SET " + ", ".join(sets)
        update.update(ExpressionAttributeNames=names, ExpressionAttributeValues=values)
        return {"Update": update}
    if names:
        update.update(ExpressionAttributeNames=names, ExpressionAttributeValues=values)
    return {"ConditionCheck": update}


def _owned_by(pk: str, owner: Ownership) -> Item:
    """A transaction check: the conversation is still owned by `owner`."""
    return _meta_update(pk, {}, {}, owner)


def _message(item: Item) -> StoredMessage:
    message = StoredMessage.model_validate(item)
    message.sk = str(item["SK"])
    return message
