"""The table: DynamoDB access, type conversion and the conditional-write helpers every repository uses."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.errors import TransientError
from chalicelib.domain.vocabulary import iso
from chalicelib.store.attribute_values import deserialize, serialize

Item = dict[str, Any]
RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}


def _plain(value: Any) -> Any:
    """JSON for what json does not know: Decimals as numbers, timestamps as our ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_dynamo(value: Any) -> Any:
    """Python values as DynamoDB accepts them (numbers become Decimals, timestamps ISO text)."""
    return json.loads(json.dumps(value, default=_plain), parse_float=Decimal)


def from_dynamo(value: Any) -> Any:
    """DynamoDB values as plain Python (Decimals become int or float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: from_dynamo(inner) for key, inner in value.items()}
    if isinstance(value, list | set):
        return [from_dynamo(inner) for inner in value]
    return value


KEY_ATTRIBUTES = frozenset({"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "kind"})


def without_keys(item: Item, *also: str) -> Item:
    """An item's own attributes: the table's keys and item-type marker removed (and `also`)."""
    dropped = KEY_ATTRIBUTES | set(also)
    return {key: value for key, value in item.items() if key not in dropped}


def ttl_in(seconds: int) -> int:
    """An `expires_at` epoch for DynamoDB TTL."""
    return int(time.time()) + seconds


def is_condition_failure(error: ClientError) -> bool:
    """The write lost its condition (already exists, stale update)."""
    code = error.response.get("Error", {}).get("Code", "")
    if code == "ConditionalCheckFailedException":
        return True
    reasons = error.response.get("CancellationReasons") or []
    return code == "TransactionCanceledException" and any(
        reason.get("Code") == "ConditionalCheckFailed" for reason in reasons
    )


def transient(error: ClientError) -> TransientError | None:
    """A TransientError for throttling and server faults, else None."""
    code = error.response.get("Error", {}).get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
    if code in RETRYABLE or status >= 500:
        return TransientError(f"DynamoDB {code}")
    return None


class Table:
    """One DynamoDB table behind a low-level boto3 client, with our conventions.

    Items go in and come out as plain Python; the typed AttributeValue form stays in here. A
    client, not the boto3 resource: the resource's model costs tens of ms at every cold start.
    """

    def __init__(self, client: Any, name: str) -> None:
        self.client = client
        self.name = name

    def get(self, pk: str, sk: str) -> Item | None:
        """One item, or None."""
        key = typed({"PK": pk, "SK": sk})
        found = self._call(self.client.get_item, TableName=self.name, Key=key, ConsistentRead=True)
        item = found.get("Item")
        return untyped(item) if item else None

    def put(self, item: Item, condition: str | None = None, **values: Any) -> bool:
        """Write an item; with a condition, False when it does not hold."""
        args: dict[str, Any] = {"TableName": self.name, "Item": typed(item)}
        if condition:
            args["ConditionExpression"] = condition
        if values:
            args["ExpressionAttributeValues"] = typed({f":{k}": v for k, v in values.items()})
        return self._conditional(self.client.put_item, **args)

    def put_new(self, item: Item) -> bool:
        """Write an item only if its key is free; False when it already exists."""
        return self.put(item, "attribute_not_exists(PK)")

    def update(self, pk: str, sk: str, **args: Any) -> bool:
        """An UpdateItem with raw expression arguments; False when its condition fails."""
        return self._conditional(self.client.update_item, **self._keyed(pk, sk, args))

    def delete(self, pk: str, sk: str, **condition: Any) -> bool:
        """Delete an item (no error if absent); with a condition, False when it does not hold."""
        return self._conditional(self.client.delete_item, **self._keyed(pk, sk, condition))

    def query(self, pk: str, prefix: str | None = None, **args: Any) -> list[Item]:
        """Every item of a partition (optionally one SK prefix), all pages."""
        return list(self.iter_query(pk, prefix, **args))

    def iter_query(self, pk: str, prefix: str | None = None, **args: Any) -> Iterator[Item]:
        """The items of a partition, page by page."""
        args["KeyConditionExpression"] = "#pk = :pk"
        args["ExpressionAttributeNames"] = {"#pk": "PK"}
        args["ExpressionAttributeValues"] = {":pk": pk}
        if prefix:
            args["KeyConditionExpression"] += " AND begins_with(#sk, :prefix)"
            args["ExpressionAttributeNames"]["#sk"] = "SK"
            args["ExpressionAttributeValues"][":prefix"] = prefix
        args.setdefault("ConsistentRead", "IndexName" not in args)
        start: Item | None = None
        while True:
            items, start = self.page(start, **args)
            yield from items
            if start is None:
                return

    def query_index(
        self, index: str, pk: str, *, newest_first: bool = False, limit: int | None = None
    ) -> list[Item]:
        """The items of one GSI partition (`<index>PK`), by its sort key, at most `limit`."""
        args: dict[str, Any] = {"IndexName": index, "ScanIndexForward": not newest_first}
        args["KeyConditionExpression"] = "#pk = :pk"
        args["ExpressionAttributeNames"] = {"#pk": f"{index}PK"}
        args["ExpressionAttributeValues"] = {":pk": pk}
        found: list[Item] = []
        start: Item | None = None
        while limit is None or len(found) < limit:
            items, start = self.page(start, **args)
            found.extend(items)
            if start is None:
                break
        return found[:limit]

    def page(self, start: Item | None = None, **args: Any) -> tuple[list[Item], Item | None]:
        """One Query page with raw expression arguments, and the key to start the next (or None)."""
        if "ExpressionAttributeValues" in args:
            args["ExpressionAttributeValues"] = typed(args["ExpressionAttributeValues"])
        if start:
            args["ExclusiveStartKey"] = typed(start)
        found = self._call(self.client.query, TableName=self.name, **args)
        last = found.get("LastEvaluatedKey")
        return [untyped(item) for item in found.get("Items", [])], (untyped(last) if last else None)

    def transact(self, actions: list[Item]) -> bool:
        """A TransactWriteItems of Put/Update/ConditionCheck actions; False on a lost condition."""
        for action in actions:
            for body in action.values():
                body["TableName"] = self.name
        items = [{kind: _typed_body(body) for kind, body in a.items()} for a in actions]
        return self._conditional(self.client.transact_write_items, TransactItems=items)

    def _keyed(self, pk: str, sk: str, args: dict[str, Any]) -> dict[str, Any]:
        """Raw UpdateItem/DeleteItem arguments for one key, their values typed."""
        return _typed_body({**args, "TableName": self.name, "Key": {"PK": pk, "SK": sk}})

    def _conditional(self, call: Any, **args: Any) -> bool:
        try:
            self._call(call, **args)
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    @staticmethod
    def _call(call: Any, **args: Any) -> dict[str, Any]:
        try:
            return call(**args)
        except ClientError as error:
            retry = transient(error)
            if retry:
                raise retry from error
            raise


# The attributes of a request body that hold items or values (AttributeValue maps).
TYPED_FIELDS = ("Item", "Key", "ExpressionAttributeValues")


def typed(values: Item) -> dict[str, Any]:
    """Plain Python as DynamoDB's typed AttributeValues (as boto3's resource sends it)."""
    return {key: serialize(value) for key, value in to_dynamo(values).items()}


def untyped(item: dict[str, Any]) -> Item:
    """Typed AttributeValues as plain Python (Decimals become int or float)."""
    return {key: from_dynamo(deserialize(value)) for key, value in item.items()}


def _typed_body(body: dict[str, Any]) -> dict[str, Any]:
    """A request body with its item, key and expression values typed (a copy)."""
    return {key: typed(value) if key in TYPED_FIELDS else value for key, value in body.items()}
