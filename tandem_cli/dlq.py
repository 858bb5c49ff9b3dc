"""`tandem dlq`: see and re-drive the dead-letter queues once the fault is fixed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tandem_cli.errors import CliError

# The queues that have a dead-letter queue, by the name the CLI takes.
QUEUES = {
    "inbound": "tandem-inbound.fifo",
    "helpdesk": "tandem-helpdesk.fifo",
    "email": "tandem-inbound-email",
}


@dataclass
class DeadLetters:
    """A queue and its dead-letter queue."""

    name: str
    queue_url: str
    dlq_url: str

    def waiting(self, sqs: Any) -> int:
        """Messages in the dead-letter queue now (visible and in flight)."""
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        found = sqs.get_queue_attributes(QueueUrl=self.dlq_url, AttributeNames=names)["Attributes"]
        return sum(int(found.get(n, 0)) for n in names)


def dead_letters(sqs: Any, name: str, queue_url: str | None) -> DeadLetters:
    """The queue named `name` (or at `queue_url`) and its dead-letter queue, from its RedrivePolicy."""
    url = queue_url or sqs.get_queue_url(QueueName=QUEUES[name])["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])[
        "Attributes"
    ]
    if "RedrivePolicy" not in attributes:
        raise CliError(f"{name}: {url} has no dead-letter queue")
    dlq_arn = json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"]
    account, dlq_name = dlq_arn.split(":")[4], dlq_arn.split(":")[5]
    dlq_url = sqs.get_queue_url(QueueName=dlq_name, QueueOwnerAWSAccountId=account)["QueueUrl"]
    return DeadLetters(name, url, dlq_url)


def redrive(sqs: Any, letters: DeadLetters, progress: Callable[[int], None], limit: int = 0) -> int:
    """Move every dead letter back to its queue (receive, send, delete); returns how many moved.

    SQS's StartMessageMoveTask does this on AWS, but moto does not implement it: this works on both.
    A message keeps its body, attributes and group; it gets a new deduplication id, since SQS would
    drop a resend within 5 minutes of the original as a duplicate.
    """
    moved = 0
    fifo = letters.queue_url.endswith(".fifo")
    while not limit or moved < limit:
        got = sqs.receive_message(
            QueueUrl=letters.dlq_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=1,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = got.get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            sqs.send_message(**_resend(letters.queue_url, message, fifo))
            sqs.delete_message(QueueUrl=letters.dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
            progress(moved)
    return moved


def _resend(queue_url: str, message: dict[str, Any], fifo: bool) -> dict[str, Any]:
    """SendMessage's arguments for a dead letter going home."""
    sent: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": message["Body"]}
    if message.get("MessageAttributes"):
        sent["MessageAttributes"] = message["MessageAttributes"]
    if fifo:
        attributes = message.get("Attributes", {})
        sent["MessageGroupId"] = attributes.get("MessageGroupId", "redrive")
        sent["MessageDeduplicationId"] = f"redrive-{message['MessageId']}"
    return sent
