"""The inbound worker's last try: a failure goes to the last resort, or to the DLQ when that fails."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.turns.worker import process_turn_batch


def event(receive_count: int) -> dict[str, Any]:
    """One record of one FIFO group, received `receive_count` times."""
    attributes = {"MessageGroupId": "g1", "ApproximateReceiveCount": str(receive_count)}
    body = json.dumps({"message_id": "m1", "inbound": {}})
    return {"Records": [{"messageId": "r1", "body": body, "attributes": attributes}]}


def failing(_bodies: list[dict[str, Any]]) -> None:
    raise RuntimeError("Twilio 500")


class Recorder:
    """A last resort that records its calls, and fails when told."""

    def __init__(self, fails: bool = False) -> None:
        self.calls: list[tuple[list[dict[str, Any]], str, int]] = []
        self.fails = fails

    def __call__(self, bodies: list[dict[str, Any]], error: BaseException, tries: int) -> None:
        self.calls.append((bodies, str(error), tries))
        if self.fails:
            raise RuntimeError("DynamoDB down too")


@pytest.mark.parametrize("count", [1, 4])
def test_an_early_failure_returns_to_the_queue(count: int) -> None:
    last = Recorder()
    result = process_turn_batch(event(count), failing, last, max_receives=5)
    assert result["batchItemFailures"] == [{"itemIdentifier": "r1"}] and last.calls == []


def test_the_last_try_hands_the_turn_to_the_last_resort() -> None:
    last = Recorder()
    assert process_turn_batch(event(5), failing, last, 5) == {"batchItemFailures": []}
    assert last.calls == [([{"message_id": "m1", "inbound": {}}], "Twilio 500", 5)]


def test_a_failing_last_resort_leaves_the_message_for_the_dlq() -> None:
    result = process_turn_batch(event(5), failing, Recorder(fails=True), 5)
    assert result["batchItemFailures"] == [{"itemIdentifier": "r1"}]
