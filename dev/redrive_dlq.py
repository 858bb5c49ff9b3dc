"""Move every message of a queue's dead-letter queue back to the queue: `python -m dev.redrive_dlq NAME`.

For an operator once the cause is fixed (see docs/operations.md). NAME is the source queue
(`tandem-inbound.fifo`, `tandem-inbound-email`, ...); its DLQ is `<name>-dlq` (`-dlq.fifo`). Works
against AWS and the local stack alike (boto3 reads AWS_ENDPOINT_URL and the region from the
environment). FIFO messages keep their group, so a conversation's turns stay in order, and get a
new deduplication id (the queue would drop a resend inside its 5-minute window). Each message is
deleted from the DLQ only after it was sent: a crash at worst sends one twice, which the worker's
dedupe absorbs. Prints `{"moved": n}`.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

import boto3


def dlq_name(queue: str) -> str:
    """The dead-letter queue's name for a queue's name."""
    return queue.replace(".fifo", "-dlq.fifo") if queue.endswith(".fifo") else f"{queue}-dlq"


def redrive(sqs: Any, queue: str, limit: int = 10_000) -> int:
    """Move up to `limit` messages from the queue's DLQ back to it; how many were moved."""
    target = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    source = sqs.get_queue_url(QueueName=dlq_name(queue))["QueueUrl"]
    moved = 0
    while moved < limit:
        batch = sqs.receive_message(
            QueueUrl=source,
            MaxNumberOfMessages=10,
            VisibilityTimeout=60,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            return moved
        for message in batch:
            sqs.send_message(QueueUrl=target, **resend_arguments(message, queue.endswith(".fifo")))
            sqs.delete_message(QueueUrl=source, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved


def resend_arguments(message: dict[str, Any], fifo: bool) -> dict[str, Any]:
    """SendMessage arguments carrying the message's body, attributes and FIFO group."""
    arguments: dict[str, Any] = {"MessageBody": message["Body"]}
    if message.get("MessageAttributes"):
        arguments["MessageAttributes"] = message["MessageAttributes"]
    if fifo:
        attributes = message.get("Attributes", {})
        original = attributes.get("MessageDeduplicationId") or message["MessageId"]
        arguments["MessageGroupId"] = attributes.get("MessageGroupId") or message["MessageId"]
        arguments["MessageDeduplicationId"] = f"{original[:90]}-redrive-{time.time_ns()}"
    return arguments


def main() -> None:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queue", help="the source queue's name, e.g. tandem-inbound.fifo")
    parser.add_argument("--limit", type=int, default=10_000, help="move at most this many")
    args = parser.parse_args()
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    sqs = boto3.client("sqs", region_name=region)
    print(json.dumps({"moved": redrive(sqs, args.queue, args.limit)}))


if __name__ == "__main__":
    main()
