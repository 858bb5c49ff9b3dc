"""The inbound queue's batches: records of one FIFO group (one conversation) are one turn."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chalicelib.runtime.observability import logger

GroupHandler = Callable[[list[dict[str, Any]]], None]


def group_records(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Records by their FIFO message group, in arrival order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        group = record.get("attributes", {}).get("MessageGroupId") or record["messageId"]
        groups.setdefault(group, []).append(record)
    return groups


def process_turn_batch(event: dict[str, Any], handle_group: GroupHandler) -> dict[str, Any]:
    """Handle each group as one turn; a failed group returns to the queue whole (partial failure)."""
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
            failures.extend(record["messageId"] for record in records)
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failures]}
