"""The SQS queues: inbound (agent worker), helpdesk, and their dead-letter queues."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .config import HANDLERS_BY_ID, VISIBILITY_FACTOR, StageConfig

RETENTION = Duration.days(14)
MAX_RECEIVES = 5
# The helpdesk queue is pulled by the support team's tool, not by a Lambda of ours.
HELPDESK_VISIBILITY = Duration.minutes(10)


@dataclass(frozen=True)
class Queues:
    """The queues of a stage, each with its dead-letter queue."""

    inbound: sqs.Queue
    inbound_dlq: sqs.Queue
    helpdesk: sqs.Queue
    helpdesk_dlq: sqs.Queue


def visibility_for(logical_id: str) -> Duration:
    """Visibility timeout of the queue consumed by a handler: six times its timeout."""
    return Duration.seconds(HANDLERS_BY_ID[logical_id].timeout * VISIBILITY_FACTOR)


def queue_with_dlq(
    scope: Construct,
    cid: str,
    name: str,
    visibility: Duration,
    fifo: bool,
    high_throughput: bool = False,
) -> tuple[sqs.Queue, sqs.Queue]:
    """A queue and its dead-letter queue (FIFO when the queue is), both encrypted by SQS; a FIFO
    queue in high-throughput mode when asked (docs/deploy.md: what it changes)."""
    suffix = ".fifo" if fifo else ""
    # FIFO queues dedupe on the MessageDeduplicationId we send, never on content.
    dedup = False if fifo else None
    dlq = sqs.Queue(
        scope,
        f"{cid}Dlq",
        queue_name=f"{name}-dlq{suffix}",
        retention_period=RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        fifo=fifo or None,
        content_based_deduplication=dedup,
    )
    queue = sqs.Queue(
        scope,
        cid,
        queue_name=f"{name}{suffix}",
        visibility_timeout=visibility,
        retention_period=RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=MAX_RECEIVES),
        fifo=fifo or None,
        content_based_deduplication=dedup,
        # High throughput: quotas per message group, not per queue (300 sends/s without batching).
        deduplication_scope=sqs.DeduplicationScope.MESSAGE_GROUP if high_throughput else None,
        fifo_throughput_limit=(
            sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID if high_throughput else None
        ),
    )
    return queue, dlq


def conversation_queues(scope: Construct, config: StageConfig) -> Queues:
    """The inbound and helpdesk FIFO queues (group = conversation id), without content dedup."""
    # Every webhook sends to the inbound queue: high-throughput mode (a message's group and its
    # deduplication id are both fixed by the delivery, so per-group dedupe catches every retry).
    inbound, inbound_dlq = queue_with_dlq(
        scope,
        "InboundQueue",
        f"{config.prefix}-inbound",
        visibility_for("InboundWorker"),
        True,
        high_throughput=True,
    )
    helpdesk, helpdesk_dlq = queue_with_dlq(
        scope, "HelpdeskQueue", f"{config.prefix}-helpdesk", HELPDESK_VISIBILITY, True
    )
    return Queues(inbound, inbound_dlq, helpdesk, helpdesk_dlq)
