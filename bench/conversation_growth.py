"""Per-turn cost as one conversation grows: `python -m bench.conversation_growth`.

One shopper's SMS conversation on the real pipeline (moto in its own process, rules backend). At
each point (by default message 5 and message 500 of the conversation) a few turns are timed: the
worker's handler time for the turn (its reply sent to the fake Twilio included), the part of it
spent waiting on DynamoDB, and the DynamoDB read units of the turn's reads, counted from what
each read returned as DynamoDB bills a strongly consistent read (a unit per 4 KB, per GetItem,
and per Query over its items together; sizes taken as the item's JSON, the same measure at every
point). The history between the points is stored directly, not played turn by turn: copies of
the conversation's first real exchange (the question and the AI's reply with its tool calls and
sources), in time order, so the window at message 500 holds messages like the one at message 5.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from typing import Any

from bench.calls import counted_pipeline, post_sms
from bench.world import MotoProcess, TimedTwilioApi, moto_server

UNIT_BYTES = 4096
# Per turn: wall time of the worker's handler, the part of it waiting on DynamoDB, the CPU time
# of our process (the handler's own work) and of moto's, and the read units.
MEASURES = ("handler_ms", "dynamodb_ms", "handler_cpu_ms", "moto_cpu_ms", "read_units")
QUESTION = "question {n}: how long does shipping take?"


class ReadMeter:
    """Read units of a DynamoDB client's GetItem and Query answers, and the time spent in calls."""

    def __init__(self) -> None:
        self.units = 0
        self.calls: list[str] = []  # each call: operation and items returned
        self.waited = 0.0  # seconds in DynamoDB calls
        self._started = 0.0

    def attach(self, client: Any) -> None:
        """Meter this client's reads."""
        client.meta.events.register("before-call.dynamodb.*", self._start)
        client.meta.events.register("after-call.dynamodb.*", self._count)

    def _start(self, **_: Any) -> None:
        self._started = time.perf_counter()

    def _count(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        self.waited += time.perf_counter() - self._started
        returned = len(parsed.get("Items", [])) + ("Item" in parsed)
        self.calls.append(f"{model.name}:{returned}")
        if model.name == "GetItem" and "Item" in parsed:
            self.units += units([parsed["Item"]])
        elif model.name in ("GetItem", "Query"):
            self.units += units(parsed.get("Items", []))

    def take(self) -> tuple[int, float]:
        """The units and the seconds waited since the last take."""
        taken = (self.units, self.waited)
        self.units, self.calls, self.waited = 0, [], 0.0
        return taken


def units(items: list[dict[str, Any]]) -> int:
    """Read units of one strongly consistent read returning `items` (at least one)."""
    size = sum(len(json.dumps(item, default=str)) for item in items)
    return max(1, math.ceil(size / UNIT_BYTES))


def grow_to(pipeline: Any, conversation_id: str, count: int) -> None:
    """Store copies of the first exchange, in time order, until the conversation has `count`.

    An odd count ends with a second copy of the reply (a follow-up), so that the timed turn
    answers one new message at every point, as at message 5.
    """
    from chalicelib.domain.messages import iso, utcnow

    repository = pipeline.services.conversations
    first = repository.load(conversation_id).messages
    question, reply = first[0], first[1]
    have = len(first)
    for n in range(have, count):
        template = reply if n % 2 == 1 or n == count - 1 else question
        stored = template.model_copy(
            update={"message_id": f"hist-{n:06d}", "created_at": iso(utcnow()), "sk": ""}
        )
        repository.add_message(conversation_id, stored)


def timed_turns(
    pipeline: Any, meter: ReadMeter, moto: MotoProcess, first: int, turns: int
) -> dict[str, Any]:
    """`turns` turns from message number `first`: times, CPU (ours, moto's) and read units."""
    found: dict[str, list[float]] = {key: [] for key in MEASURES}
    calls: list[str] = []
    for k in range(turns):
        sid = f"SM{first:016d}{k:016d}"
        post_sms(pipeline, sid, QUESTION.format(n=first + 2 * k))
        meter.take()
        start, cpu, moto_cpu = time.perf_counter(), time.process_time(), moto.cpu_seconds()
        assert pipeline.drain() >= 1
        found["handler_ms"].append((time.perf_counter() - start) * 1000)
        found["handler_cpu_ms"].append((time.process_time() - cpu) * 1000)
        found["moto_cpu_ms"].append((moto.cpu_seconds() - moto_cpu) * 1000)
        calls = list(meter.calls)
        units_read, waited = meter.take()
        found["read_units"].append(units_read)
        found["dynamodb_ms"].append(waited * 1000)
    point: dict[str, Any] = {"at_message": first}
    point.update({f"{key}_median": round(statistics.median(found[key]), 1) for key in MEASURES})
    point.update({key: [round(value, 1) for value in found[key]] for key in MEASURES})
    point["calls_of_last_turn"] = calls  # operation:items returned
    return point


def measure(points: list[int], turns: int) -> dict[str, Any]:
    """The turns at each point of one conversation."""
    from dev.seed import DEMO_CUSTOMER_ID
    from tests.harness import seed_store

    with moto_server() as moto, TimedTwilioApi() as twilio:
        pipeline, _ = counted_pipeline(moto.url, twilio)
        seed_store(pipeline)
        meter = ReadMeter()
        meter.attach(pipeline.services.table.client)
        post_sms(pipeline, "SM" + "f" * 32, QUESTION.format(n=0))  # the exchange grow_to copies
        pipeline.drain()
        listed = pipeline.services.conversations.for_customer(DEMO_CUSTOMER_ID)
        conversation_id = next(c["conversation_id"] for c in listed if c["channel"] == "sms")
        found = []
        for point in points:
            grow_to(pipeline, conversation_id, point - 1)
            found.append(timed_turns(pipeline, meter, moto, point, turns))
        state = pipeline.services.conversations.load_recent(conversation_id).state.value
    first, last = found[0], found[-1]
    ratios = {
        f"{key}_ratio_last_to_first": round(
            last[f"{key}_median"] / max(first[f"{key}_median"], 0.1), 2
        )
        for key in MEASURES
    }
    return {"points": found, "state_at_end": state, **ratios}  # state "ai": every turn the AI's


def main(argv: list[str] | None = None) -> None:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=int, nargs="+", default=[5, 500])
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--whole", action="store_true", help="turns read every message (before)")
    parser.add_argument("--window", type=int, help="items a turn's Query reads (default: WINDOW)")
    options = parser.parse_args(argv)
    from chalicelib.store.conversations import ConversationRepository

    recent = ConversationRepository.load_recent
    if options.whole:  # the turn's read before issue 23: the whole conversation
        ConversationRepository.load_recent = (  # type: ignore[method-assign]
            lambda self, conversation_id, last=0: self.load(conversation_id)
        )
    elif options.window:  # another window (30 before the running summary)
        ConversationRepository.load_recent = (  # type: ignore[method-assign]
            lambda self, conversation_id, last=0: recent(self, conversation_id, options.window)
        )
    print(json.dumps(measure(options.at, options.turns), indent=2))


if __name__ == "__main__":
    main()
