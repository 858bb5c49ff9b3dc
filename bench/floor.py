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
READS = {"GetItem", "Query", "BatchGetItem", "TransactGetItems"}
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


def minimal_calls(path: str, calls: list[list[Any]]) -> list[list[Any]]:
    """The design's minimum among the app's recorded calls: a webhook's dedupe write and enqueue,
    a worker's first DynamoDB read and first write."""
    if path == "webhook":
        wanted = [("dynamodb", WRITES), ("sqs", {"SendMessage"})]
    else:
        wanted = [("dynamodb", READS), ("dynamodb", WRITES)]
    chosen = []
    for service, operations in wanted:
        found = next(c for c in calls if c[0] == service and c[1] in operations)
        chosen.append(found)
    return chosen


def send_sms(twilio: dict[str, str]) -> None:
    """One Messages create on the (fake) Twilio API, as twilio's client posts it."""
    import requests

    url = f"{twilio['base_url']}/2010-04-01/Accounts/{twilio['account_sid']}/Messages.json"
    form = {"To": twilio["to"], "From": twilio["from"], "Body": twilio["body"]}
    auth = (twilio["account_sid"], twilio["auth_token"])
    requests.post(url, data=form, auth=auth, timeout=10).raise_for_status()


def openai_rounds(spec: dict[str, Any]) -> None:
    """The openai client, created, and one Chat Completions call per round the app made."""
    import openai

    client = openai.OpenAI(api_key=spec["api_key"], base_url=spec["base_url"], max_retries=0)
    for _ in range(int(spec["rounds"])):
        client.chat.completions.create(
            model=spec["model"], messages=[{"role": "user", "content": "where is my order?"}]
        )
