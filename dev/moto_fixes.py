"""Three costs of moto (5.2.5) that grow with the table, removed for the local stack, the tests
and the benchmarks (`dev.atomic_moto` applies them).

They are moto's, not the app's: with them a long `make run` or the benchmarks' 2,000-message burst
measure moto's growth instead of the pipeline (1.8 GB of moto after ~630 webhooks, acks past
Twilio's 15 s timeout).
- memory: `BaseModel.__new__` appends every instance to its class's `instances_tracked` (for the
  `/moto-api/data.json` dashboard) and never lets go. DynamoDB makes an `Item` for every read
  result and copies whole tables (below), SQS a `Message` for every send: about 7 MB per inbound
  message. DynamoDB's and SQS's models are no longer tracked (nothing reads them from the
  dashboard); every other service's still are (the tests read the mails SES sent there).
- CPU: TransactWriteItems deep-copies every table it writes to (every item) to roll back on a
  cancelled transaction, so each one costs O(table). Here the rollback copy holds only the items the
  transaction writes, in copies of only the partitions it writes (every other partition shared:
  one DynamoDB request runs at a time, dev/atomic_moto.py); a cancellation restores exactly those,
  as before.
- CPU: a Query of the table (not an index) sorts every item of the table, then keeps its
  partition's: O(table log table) per Query, which DynamoDB does in O(partition). Here it sorts the
  partition's items alone, by their range keys' plain values (moto's comparison casts both sides
  each time); the result is the same items in the same order.
- CPU: SQS's SendMessage reads the queue's `attributes` up to four times (for one of them,
  ContentBasedDeduplication), and each read counts the queue's messages three times over: O(queue)
  per send, so a backlog slows every webhook. Within a SendMessage, `attributes` is that one.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from moto.core.common_models import BaseModel
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.sqs.models import Queue, SQSBackend

Key = tuple[DynamoType, DynamoType | None]
# The keys the running transaction writes, by table name (one transaction per request thread).
WRITING: ContextVar[dict[str, set[Key]] | None] = ContextVar("WRITING", default=None)
whole_transaction = DynamoDBBackend.transact_write_items
# The partition the running Query of a table reads (None: an index, or not a Query).
PARTITION: ContextVar[DynamoType | None] = ContextVar("PARTITION", default=None)
whole_query, whole_items = Table.query, Table.all_items
tracked_new = BaseModel.__new__
# Within a SendMessage: the queue's attributes it reads are ContentBasedDeduplication alone.
SENDING: ContextVar[bool] = ContextVar("SENDING", default=False)
whole_send, whole_attributes = SQSBackend.send_message, Queue.attributes
INDEX_NAME_ARG = 6  # Table.query(hash_key, range_comparison, ..., projection, index_name, ...)
# Models made per request, never read from the dashboard: not kept by moto's instance tracker.
UNTRACKED = ("moto.dynamodb.", "moto.sqs.")


def untracked(cls: type, *args: Any, **kwargs: Any) -> Any:
    """A new model instance; DynamoDB's and SQS's referred to by nothing but their owner."""
    if cls.__module__.startswith(UNTRACKED):
        return object.__new__(cls)
    return tracked_new(cls, *args, **kwargs)


def written_keys(
    backend: DynamoDBBackend, transact_items: list[dict[str, Any]]
) -> dict[str, set[Key]]:
    """The (hash, range) keys each table's items are written at by these transaction items."""
    keys: dict[str, set[Key]] = defaultdict(set)
    for entry in transact_items:
        op: dict[str, Any] = next(iter(entry.values()), {})
        name = op.get("TableName")
        if name not in backend.tables:
            continue
        table = backend.tables[name]
        key = op.get("Key") or op.get("Item") or {}
        if table.hash_key_attr not in key:
            continue
        ranged = table.range_key_attr is not None and table.range_key_attr in key
        range_value = DynamoType(key[table.range_key_attr]) if ranged else None
        keys[name].add((DynamoType(key[table.hash_key_attr]), range_value))
    return keys


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's TransactWriteItems, its rollback copies limited to the items it writes."""
    token = WRITING.set(written_keys(self, transact_items))
    try:
        whole_transaction(self, transact_items)
    finally:
        WRITING.reset(token)


def rollback_copy(self: Table, memo: dict[int, Any]) -> Table:
    """The table as a rollback needs it: its own item index, deep copies of the written items."""
    writing = (WRITING.get() or {}).get(self.name)
    if writing is None:  # not a transaction's rollback copy: moto's full copy
        clone = copy.copy(self)
        memo[id(self)] = clone
        clone.__dict__ = copy.deepcopy(self.__dict__, memo)
        return clone
    clone = copy.copy(self)
    clone.items = defaultdict(dict, self.items)
    if self.range_key_attr is not None:  # only the partitions written get their own index
        for hash_value in {hash_value for hash_value, _ in writing if hash_value in self.items}:
            clone.items[hash_value] = dict(self.items[hash_value])
    for hash_value, range_value in writing:
        item = self.get_item(hash_value, range_value)
        if item is not None and range_value is not None:
            clone.items[hash_value][range_value] = item.__deepcopy__(memo)
        elif item is not None:
            clone.items[hash_value] = item.__deepcopy__(memo)  # type: ignore[assignment]
    return clone


def partition_query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
    """moto's Query, told which partition it reads when it reads the table itself."""
    index_name = args[INDEX_NAME_ARG] if len(args) > INDEX_NAME_ARG else kwargs.get("index_name")
    token = PARTITION.set(None if index_name else hash_key)
    try:
        return whole_query(self, hash_key, *args, **kwargs)
    finally:
        PARTITION.reset(token)


def partition_items(self: Table) -> Any:
    """Every item, sorted (moto's); within a Query of the table, its partition's items only."""
    hash_key = PARTITION.get()
    if hash_key is None or self.range_key_attr is None:
        return whole_items(self)
    part = self.items.get(hash_key) or {}
    return sorted(part.values(), key=lambda item: sort_key(item.range_key))


def sort_key(value: DynamoType) -> Any:
    """A range key as DynamoDB orders it, in a type Python compares natively: a string's code
    points order as its UTF-8 bytes do, a number by value. moto's own comparison casts both sides
    on every call: sorting a 600-item partition cost ~8 ms of every Query."""
    if value.type == "S":
        return value.value
    if value.type == "N":
        return Decimal(value.value)
    return value


def send_message(self: SQSBackend, *args: Any, **kwargs: Any) -> Any:
    """moto's SendMessage, reading only the queue attribute it needs."""
    token = SENDING.set(True)
    try:
        return whole_send(self, *args, **kwargs)
    finally:
        SENDING.reset(token)


def queue_attributes(self: Queue) -> dict[str, Any]:
    """The queue's attributes (moto's); within a SendMessage, the one it reads."""
    if not SENDING.get():
        return dict(whole_attributes.fget(self))  # type: ignore[attr-defined]
    if not self.fifo_queue:
        return {}
    return {
        "ContentBasedDeduplication": str(
            bool(getattr(self, "content_based_deduplication", False))
        ).lower()
    }


def apply() -> None:
    """Patch moto in this process (idempotent)."""
    BaseModel.__new__ = staticmethod(untracked)  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    Table.__deepcopy__ = rollback_copy  # type: ignore[attr-defined]
    Table.query = partition_query  # type: ignore[method-assign]
    Table.all_items = partition_items  # type: ignore[method-assign]
    SQSBackend.send_message = send_message  # type: ignore[method-assign]
    Queue.attributes = property(queue_attributes)  # type: ignore[assignment,method-assign]
