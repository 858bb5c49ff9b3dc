"""The inbound queue's batches: records of one FIFO group (one conversation) are one turn."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chalicelib.runtime.observability import logger

GroupHandler = Callable[[list[dict[str, Any]]], None]
# On the last try: (the group's bodies, the error, how many tries) -> hands the turn to a person.
LastResort = Callable[[list[dict[str, Any]], BaseException, int], None]


def group_records(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Records by their FIFO message group, in arrival order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        group = record.get("attributes", {}).get("MessageGroupId") or record["messageId"]
        groups.setdefault(group, []).append(record)
    return groups


def process_turn_batch(
    event: dict[str, Any],
    handle_group: GroupHandler,
    last_resort: LastResort | None = None,
    max_receives: int = 5,
) -> dict[str, Any]:
    """Handle each group as one turn; a failed group returns to the queue whole (partial failure).

    On a group's last receive (maxReceiveCount) a failure goes to `last_resort` (a person takes
    the conversation) instead of leaving the customer unanswered in the dead-letter queue.
    """
    failures: list[str] = []
    for records in group_records(event.get("Records", [])).values():
        logger.remove_keys(["conversation_id"])  # a warm process must not log the last turn's id
        try:
            handle_group([json.loads(record["body"]) for record in records])
        except Exception as error:
            # Retried through the queue; after maxReceiveCount it reaches the dead-letter queue.
            logger.exception(
                "turn failed, returned to the queue", extra={"error": type(error).__name__}
            )
            tries = receive_count(records)
            if not (
                last_resort
                and tries >= max_receives
                and handed_over(last_resort, records, error, tries)
            ):
                failures.extend(record["messageId"] for record in records)
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failures]}


def receive_count(records: list[dict[str, Any]]) -> int:
    """How many times the group's messages were received (the most of them)."""
    counts = [record.get("attributes", {}).get("ApproximateReceiveCount") for record in records]
    return max((int(count) for count in counts if str(count or "").isdigit()), default=0)


def handed_over(
    last_resort: LastResort, records: list[dict[str, Any]], error: BaseException, tries: int
) -> bool:
    """True when the last resort took the turn; False (to the DLQ, whole) when it failed too."""
    try:
        last_resort([json.loads(record["body"]) for record in records], error, tries)
        return True
    except Exception:
        logger.exception("last resort failed: the turn goes to the dead-letter queue")
        return False
