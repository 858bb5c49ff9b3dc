"""Per-turn cost as one conversation grows: `python -m bench.conversation_growth`.

One shopper's SMS conversation on the real pipeline (moto in its own process, rules backend). At
each point (by default message 5 and message 500 of the conversation) a few turns are timed: the
worker's handler time for the turn (its reply sent to the fake Twilio included) and the DynamoDB
read units of the turn's reads, counted from what each read returned as DynamoDB bills a strongly
consistent read (a unit per 4 KB, per GetItem, and per Query over its items together; sizes
taken as the item's JSON, the same measure at every point). The history between the points is
stored directly (alternating customer messages and AI replies), not played turn by turn.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from typing import Any

from bench.calls import counted_pipeline, post_sms
from bench.world import TimedTwilioApi, moto_server

UNIT_BYTES = 4096
QUESTION = "question {n}: how long does shipping take?"


class ReadMeter:
    """Read units of a DynamoDB client's GetItem and Query answers (strongly consistent)."""

    def __init__(self) -> None:
        self.units = 0
        self.calls: list[str] = []  # each call: operation and items returned

    def attach(self, client: Any) -> None:
        """Meter this client's reads."""
        client.meta.events.register("after-call.dynamodb.*", self._count)

    def _count(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        returned = len(parsed.get("Items", [])) + ("Item" in parsed)
        self.calls.append(f"{model.name}:{returned}")
        if model.name == "GetItem" and "Item" in parsed:
            self.units += units([parsed["Item"]])
        elif model.name in ("GetItem", "Query"):
            self.units += units(parsed.get("Items", []))

    def take(self) -> int:
        """The units since the last take."""
        taken, self.units, self.calls = self.units, 0, []
        return taken


def units(items: list[dict[str, Any]]) -> int:
    """Read units of one strongly consistent read returning `items` (at least one)."""
    size = sum(len(json.dumps(item, default=str)) for item in items)
    return max(1, math.ceil(size / UNIT_BYTES))


def grow_to(pipeline: Any, conversation_id: str, count: int) -> None:
    """Store alternating customer messages and AI replies until the conversation has `count`."""
    from chalicelib.domain.conversations import StoredMessage
    from chalicelib.domain.messages import Author

    repository = pipeline.services.conversations
    loaded = repository.load(conversation_id)
    have = len(loaded.messages)
    for n in range(have, count):
        author = Author.CUSTOMER if n % 2 == 0 else Author.AI
        text = QUESTION.format(n=n) if n % 2 == 0 else "Standard shipping takes 3-5 days."
        at = f"2020-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}.{n // 3600:03d}Z"
        stored = StoredMessage(message_id=f"hist-{n}", author=author, text=text, created_at=at)
        if author is Author.AI:
            stored.status = "sent"
        repository.add_message(conversation_id, stored)


def timed_turns(pipeline: Any, meter: ReadMeter, first: int, turns: int) -> dict[str, Any]:
    """`turns` turns from message number `first`: handler ms and read units, medians."""
    times, reads, calls = [], [], []
    for k in range(turns):
        sid = f"SM{first:016d}{k:016d}"
        post_sms(pipeline, sid, QUESTION.format(n=first + 2 * k))
        meter.take()
        start = time.perf_counter()
        assert pipeline.drain() >= 1
        times.append((time.perf_counter() - start) * 1000)
        calls.append(list(meter.calls))
        reads.append(meter.take())
    return {
        "at_message": first,
        "handler_ms_median": round(statistics.median(times), 1),
        "read_units_median": statistics.median(reads),
        "handler_ms": [round(t, 1) for t in times],
        "read_units": reads,
        "calls_of_last_turn": calls[-1],  # operation:items returned
    }


def measure(points: list[int], turns: int) -> dict[str, Any]:
    """The turns at each point of one conversation."""
    from dev.seed import DEMO_CUSTOMER_ID
    from tests.harness import seed_store

    with moto_server() as moto, TimedTwilioApi() as twilio:
        pipeline, _ = counted_pipeline(moto.url, twilio)
        seed_store(pipeline)
        meter = ReadMeter()
        meter.attach(pipeline.services.table.client)
        post_sms(pipeline, "SM" + "f" * 32, "hello")
        pipeline.drain()
        listed = pipeline.services.conversations.for_customer(DEMO_CUSTOMER_ID)
        conversation_id = next(c["conversation_id"] for c in listed if c["channel"] == "sms")
        found = []
        for point in points:
            grow_to(pipeline, conversation_id, point - 1)
            found.append(timed_turns(pipeline, meter, point, turns))
        state = pipeline.services.conversations.load_recent(conversation_id).state.value
    first, last = found[0], found[-1]
    return {
        "points": found,
        "state_at_end": state,  # "ai": every timed turn was the AI's
        "handler_ratio_last_to_first": round(
            last["handler_ms_median"] / first["handler_ms_median"], 2
        ),
        "read_units_ratio_last_to_first": round(
            last["read_units_median"] / first["read_units_median"], 2
        ),
    }


def main(argv: list[str] | None = None) -> None:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=int, nargs="+", default=[5, 500])
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--whole", action="store_true", help="turns read every message (before)")
    options = parser.parse_args(argv)
    if options.whole:  # the turn's read before issue 23: the whole conversation
        from chalicelib.store.conversations import ConversationRepository

        ConversationRepository.load_recent = (  # type: ignore[method-assign]
            lambda self, conversation_id, last=0: self.load(conversation_id)
        )
    print(json.dumps(measure(options.at, options.turns), indent=2))


if __name__ == "__main__":
    main()
