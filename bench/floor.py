"""The cold-start floor's calls: the app's recorded AWS calls made again through plain clients.

Reads go to the same keys, so they return what the app read. Writes go to a key space of their
own (every partition key prefixed), so the app's data is left alone; a condition on an item that
only the app's space holds (a follow-up's conversation) fails there, and that answer is accepted:
the request was made and answered all the same. A queued message goes to the helpdesk queue,
which nothing drains during the bench.
"""

from __future__ import annotations

import time
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
PARTITION_KEYS = {"PK", "GSI1PK", "GSI2PK"}
LOST_CONDITION = {"ConditionalCheckFailedException", "TransactionCanceledException"}


def replay(clients: dict[str, Any], calls: list[list[Any]], queue_url: str) -> None:
    """Make each recorded call (service, operation, parameters) once, in order."""
    space = f"FLOOR#{time.time_ns()}#"
    for service, operation, params in calls:
        if service == "sqs" and operation == "SendMessage":
            params = {**params, "QueueUrl": queue_url, "MessageGroupId": "floor"}
            params["MessageDeduplicationId"] = space
        elif operation in WRITES:
            params = _moved(params, space)
        try:
            getattr(clients[service], xform_name(operation))(**params)
        except ClientError as error:
            if error.response["Error"]["Code"] not in LOST_CONDITION:
                raise


def _moved(value: Any, space: str) -> Any:
    """The parameters with every partition key's string value moved into `space`."""
    if isinstance(value, list):
        return [_moved(inner, space) for inner in value]
    if not isinstance(value, dict):
        return value
    moved = {}
    for key, inner in value.items():
        if key in PARTITION_KEYS and isinstance(inner, dict) and "S" in inner:
            moved[key] = {"S": space + inner["S"]}
        else:
            moved[key] = _moved(inner, space)
    return moved
