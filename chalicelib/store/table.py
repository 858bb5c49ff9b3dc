"""The table: boto3 access, type conversion and the conditional-write helpers every repository uses."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.errors import TransientError
from chalicelib.domain.messages import iso

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
    """One DynamoDB table behind a boto3 resource, with our conventions."""

    def __init__(self, resource: Any, name: str) -> None:
        self.table = resource.Table(name)
        self.name = name
        self.client = self.table.meta.client

    def get(self, pk: str, sk: str) -> Item | None:
        """One item, or None."""
        found = self._call(self.table.get_item, Key={"PK": pk, "SK": sk}, ConsistentRead=True)
        item = found.get("Item")
        return from_dynamo(item) if item else None

    def put(self, item: Item, condition: str | None = None, **values: Any) -> bool:
        """Write an item; with a condition, False when it does not hold."""
        args: dict[str, Any] = {"Item": to_dynamo(item)}
        if condition:
            args["ConditionExpression"] = condition
        if values:
            args["ExpressionAttributeValues"] = to_dynamo({f":{k}": v for k, v in values.items()})
        return self._conditional(self.table.put_item, **args)

    def put_new(self, item: Item) -> bool:
        """Write an item only if its key is free; False when it already exists."""
        return self.put(item, "attribute_not_exists(PK)")

    def update(self, pk: str, sk: str, **args: Any) -> bool:
        """An UpdateItem with raw expression arguments; False when its condition fails."""
        if "ExpressionAttributeValues" in args:
            args["ExpressionAttributeValues"] = to_dynamo(args["ExpressionAttributeValues"])
        return self._conditional(self.table.update_item, Key={"PK": pk, "SK": sk}, **args)

    def delete(self, pk: str, sk: str, **condition: Any) -> bool:
        """Delete an item (no error if absent); with a condition, False when it does not hold."""
        if "ExpressionAttributeValues" in condition:
            condition["ExpressionAttributeValues"] = to_dynamo(
                condition["ExpressionAttributeValues"]
            )
        return self._conditional(self.table.delete_item, Key={"PK": pk, "SK": sk}, **condition)

    def query(self, pk: str, prefix: str | None = None, **args: Any) -> list[Item]:
        """Every item of a partition (optionally one SK prefix), all pages."""
        return list(self.iter_query(pk, prefix, **args))

    def iter_query(self, pk: str, prefix: str | None = None, **args: Any) -> Iterator[Item]:
        """The items of a partition, page by page."""
        from boto3.dynamodb.conditions import Key

        condition = Key("PK").eq(pk)
        if prefix:
            condition = condition & Key("SK").begins_with(prefix)
        args.setdefault("ConsistentRead", "IndexName" not in args)
        while True:
            page = self._call(self.table.query, KeyConditionExpression=condition, **args)
            yield from (from_dynamo(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return
            args["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def query_index(
        self, index: str, pk: str, *, newest_first: bool = False, limit: int | None = None
    ) -> list[Item]:
        """The items of one GSI partition (`<index>PK`), by its sort key, at most `limit`."""
        from boto3.dynamodb.conditions import Key

        args: dict[str, Any] = {"IndexName": index, "ScanIndexForward": not newest_first}
        args["KeyConditionExpression"] = Key(f"{index}PK").eq(pk)
        found: list[Item] = []
        while limit is None or len(found) < limit:
            page = self._call(self.table.query, **args)
            found.extend(from_dynamo(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return found[:limit]

    def transact(self, actions: list[Item]) -> bool:
        """A TransactWriteItems of Put/Update/ConditionCheck actions; False on a lost condition."""
        for action in actions:
            for body in action.values():
                body["TableName"] = self.name
        return self._conditional(self.client.transact_write_items, TransactItems=to_dynamo(actions))

    def _conditional(self, call: Any, **args: Any) -> bool:
        try:
            self._call(call, **args)
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    @staticmethod
    def _call(call: Any, **args: Any) -> Any:
        try:
            return call(**args)
        except ClientError as error:
            retry = transient(error)
            if retry:
                raise retry from error
            raise
