"""Costs of moto (5.2.5) that grow with the table, removed for the local stack, the tests
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
- CPU: then it tests the key condition on every item of the partition (each comparison through
  DynamoType's operators) before it stops at the Limit: a Query of a conversation's newest 4
  messages costs O(conversation), ~37 ms on a 5,000-item partition, where DynamoDB reads from the
  key's place in sort order. With string sort keys (ours), the partition's keys are now sorted
  by their plain values and bisected to those the key condition and the ExclusiveStartKey leave,
  then cut to one more than the Limit in the Query's direction: ~8-15 ms on 5,000 items.
- CPU: moto's server finds each request's service by listing its own package's directory (a
  `stat` for each of ~150 entries, every request); the list is read once here.
- CPU: a DynamoDB answer that already is plain JSON is written with `json.dumps`, not through
  moto's walk of the output shape: dev/moto_json.py.
- CPU: SQS's costs that grow with the queue (every call counting the queue's messages, reading the
  clock once per message): dev/moto_sqs.py.
"""

from __future__ import annotations

import copy
import functools
from bisect import bisect_left, bisect_right
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from itertools import takewhile
from typing import Any

from moto import backends
from moto.core.common_models import BaseModel
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from dev import moto_json, moto_sqs

Key = tuple[DynamoType, DynamoType | None]
# The keys the running transaction writes, by table name (one transaction per request thread).
WRITING: ContextVar[dict[str, set[Key]] | None] = ContextVar("WRITING", default=None)
whole_transaction = DynamoDBBackend.transact_write_items
# What the running Query of a table reads (None: an index, or not a Query).
PARTITION: ContextVar[Reading | None] = ContextVar("PARTITION", default=None)
# The running Query of an index: its hash key conditions, when all are strings (else None).
INDEXED: ContextVar[tuple[tuple[str, str], ...] | None] = ContextVar("INDEXED", default=None)
whole_query, whole_items = Table.query, Table.all_items
tracked_new = BaseModel.__new__
listed_modules = backends.list_of_moto_modules
INDEX_NAME_ARG = 6  # Table.query(hash_key, range_comparison, ..., projection, index_name, ...)
# Table.query's arguments after hash_key: range_comparison, range_objs, limit, start key, forward.
QUERY_PAGE_ARGS = 5
# The key conditions whose keys are found by bisecting the sorted keys (moto's names), and the
# names of those a KeyConditionExpression writes as operators.
NARROWED = ("BETWEEN", "BEGINS_WITH", "EQ", "GT", "GE", "LT", "LE")
OPERATORS = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
# Models made per request, never read from the dashboard: not kept by moto's instance tracker.
UNTRACKED = ("moto.dynamodb.", "moto.sqs.")


def untracked(cls: type, *args: Any, **kwargs: Any) -> Any:
    """A new model instance; DynamoDB's and SQS's referred to by nothing but their owner."""
    if cls.__module__.startswith(UNTRACKED):
        return object.__new__(cls)
    return tracked_new(cls, *args, **kwargs)


@functools.cache
def moto_modules() -> tuple[str, ...]:
    """moto's service modules (its package's directories), listed once."""
    return tuple(listed_modules())


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


@dataclass(frozen=True)
class Reading:
    """What a running Query of the table reads: its partition, key condition and page."""

    hash_key: DynamoType | None
    comparison: str | None = None
    bounds: tuple[Any, ...] = ()
    limit: int | None = None
    start: Any = None  # the ExclusiveStartKey's sort key value
    forward: bool = True


def partition_query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
    """moto's Query, told which partition (and which keys of it) it reads from the table itself."""
    index_name = args[INDEX_NAME_ARG] if len(args) > INDEX_NAME_ARG else kwargs.get("index_name")
    reading = None if index_name else _reading(self, hash_key, args, kwargs)
    indexed = _index_keys(kwargs.get("hash_key_conditions")) if index_name else None
    token, index_token = PARTITION.set(reading), INDEXED.set(indexed)
    try:
        return whole_query(self, hash_key, *args, **kwargs)
    finally:
        PARTITION.reset(token)
        INDEXED.reset(index_token)


def _index_keys(
    conditions: list[tuple[str, DynamoType]] | None,
) -> tuple[tuple[str, str], ...] | None:
    """An index Query's hash key conditions as (attribute, string), when every one is a string."""
    if not conditions or any(value.type != "S" for _, value in conditions):
        return None
    return tuple((name, value.value) for name, value in conditions)


def _reading(
    table: Table, hash_key: DynamoType | None, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Reading:
    """The page a Query reads; its keys only when they are strings and nothing filters them."""
    whole = Reading(hash_key)
    if len(args) < QUERY_PAGE_ARGS or table.range_key_type != "S" or _legacy_filter(kwargs):
        return whole
    comparison, bounds, limit, start, forward = args[:QUERY_PAGE_ARGS]
    comparison = OPERATORS.get(comparison, comparison)
    if comparison is not None and comparison not in NARROWED:
        return whole
    values = tuple(bound.value for bound in bounds)
    start_key = (start or {}).get(table.range_key_attr, {}).get("S")
    return Reading(hash_key, comparison, values, limit, start_key, forward is not False)


def _legacy_filter(kwargs: dict[str, Any]) -> bool:
    """A QueryFilter (not a FilterExpression): moto counts its Limit after it."""
    named = ("hash_key_conditions", "range_key_conditions")
    return (
        any(key not in named for key in kwargs) or len(kwargs.get("range_key_conditions") or []) > 1
    )


def partition_items(self: Table) -> Any:
    """Every item, sorted (moto's); within a Query of the table, its partition's items only.

    With string sort keys, only the keys the Query can return: those its key condition holds,
    after its ExclusiveStartKey, and one more than its Limit in its direction (the one more
    tells moto there is a next page). moto then reads these as it read the whole partition.
    """
    indexed = INDEXED.get()
    if indexed is not None:
        return _index_partition(self, indexed)
    reading = PARTITION.get()
    if reading is None or reading.hash_key is None or self.range_key_attr is None:
        return whole_items(self)
    part = self.items.get(reading.hash_key) or {}
    if reading.limit is None and reading.comparison is None and reading.start is None:
        # By the keys' plain values, as DynamoType compares them, without its operator each time.
        return sorted(part.values(), key=lambda item: sort_key(item.range_key))
    ordered = sorted(part.values(), key=lambda item: item.range_key.value)
    keys = [item.range_key.value for item in ordered]
    low, high = _key_range(keys, reading)
    if reading.limit is None:
        return ordered[low:high]
    if reading.forward:
        return ordered[low : min(high, low + reading.limit + 1)]
    return ordered[max(low, high - reading.limit - 1) : high]


def _index_partition(table: Table, indexed: tuple[tuple[str, str], ...]) -> list[Any]:
    """The items an index Query's hash key conditions hold for, unsorted: moto sorts what its
    own test of the conditions keeps by the index's keys (a GSI Query sorted the whole table
    through DynamoType's comparisons: ~800 ms on the burst's ~20,000 items, once a minute for
    the idle sweep, and every webhook waited behind it)."""
    stored: Any = table.items  # by hash key: an item, or the items by range key
    parts = stored.values() if table.range_key_attr is not None else [stored]
    return [
        item
        for part in parts
        for item in part.values()
        if all(_is_string(item.attrs.get(name), value) for name, value in indexed)
    ]


def _is_string(attribute: DynamoType | None, value: str) -> bool:
    """Whether an item's attribute is the string `value`."""
    return attribute is not None and attribute.type == "S" and attribute.value == value


def _key_range(keys: list[str], reading: Reading) -> tuple[int, int]:
    """Where in the sorted `keys` the Query's key condition and start key leave it to read."""
    low, high = 0, len(keys)
    bounds, comparison = reading.bounds, reading.comparison
    if comparison == "BETWEEN":
        low, high = bisect_left(keys, bounds[0]), bisect_right(keys, bounds[1])
    elif comparison == "BEGINS_WITH":
        low = bisect_left(keys, bounds[0])
        high = low + sum(1 for _ in takewhile(lambda key: key.startswith(bounds[0]), keys[low:]))
    elif comparison == "EQ":
        low, high = bisect_left(keys, bounds[0]), bisect_right(keys, bounds[0])
    elif comparison in ("GT", "GE"):
        low = (bisect_right if comparison == "GT" else bisect_left)(keys, bounds[0])
    elif comparison in ("LT", "LE"):
        high = (bisect_left if comparison == "LT" else bisect_right)(keys, bounds[0])
    if reading.start is not None and reading.forward:
        low = max(low, bisect_right(keys, reading.start))
    elif reading.start is not None:
        high = min(high, bisect_left(keys, reading.start))
    return low, max(low, high)


def sort_key(value: DynamoType) -> Any:
    """A range key as DynamoDB orders it, in a type Python compares natively: a string's code
    points order as its UTF-8 bytes do, a number by value. moto's own comparison casts both sides
    on every call: sorting a 600-item partition cost ~8 ms of every Query."""
    if value.type == "S":
        return value.value
    if value.type == "N":
        return Decimal(value.value)
    return value


def apply() -> None:
    """Patch moto in this process (idempotent)."""
    BaseModel.__new__ = staticmethod(untracked)  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    Table.__deepcopy__ = rollback_copy  # type: ignore[attr-defined]
    Table.query = partition_query  # type: ignore[method-assign]
    Table.all_items = partition_items  # type: ignore[method-assign]
    backends.list_of_moto_modules = moto_modules
    moto_sqs.apply()
    moto_json.apply()
