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
from bench.world import AVA, MotoProcess, TimedTwilioApi, moto_server

UNIT_BYTES = 4096
# Per turn: wall time of the worker's handler, the part of it waiting on DynamoDB, the CPU time
# of our process (the handler's own work) and of moto's, and the read units.
MEASURES = ("handler_ms", "dynamodb_ms", "handler_cpu_ms", "moto_cpu_ms", "read_units")
# The same words at every point: a number in them would change the agent's work (a number an
# article states is evidence for it, one none states is not).
QUESTION = "how long does shipping take?"


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
    asked: list[str] = []  # the copied question the next copied reply answers
    for n in range(len(first), count):
        template = reply if n % 2 == 1 or n == count - 1 else question
        update: dict[str, Any] = {"message_id": f"hist-{n:06d}", "created_at": iso(utcnow())}
        update["sk"] = ""
        if template is reply:
            update["in_reply_to"], asked = asked, []
        else:
            asked = [str(update["message_id"])]
        repository.add_message(conversation_id, template.model_copy(update=update))


def timed_turn(
    pipeline: Any, meter: ReadMeter, moto: MotoProcess, sender: str, number: int
) -> dict[str, Any]:
    """The turn of message `number` from `sender`: times, CPU (ours, moto's), units, calls."""
    sid = f"SM{sender[-4:]}{number:028d}"
    post_sms(pipeline, sid, QUESTION, sender)
    meter.take()
    start, cpu, moto_cpu = time.perf_counter(), time.process_time(), moto.cpu_seconds()
    assert pipeline.drain() >= 1
    found: dict[str, Any] = {
        "handler_ms": (time.perf_counter() - start) * 1000,
        "handler_cpu_ms": (time.process_time() - cpu) * 1000,
        "moto_cpu_ms": (moto.cpu_seconds() - moto_cpu) * 1000,
        "calls": list(meter.calls),
    }
    found["read_units"], waited = meter.take()
    found["dynamodb_ms"] = waited * 1000
    return found


def summarized(first: int, turns: list[dict[str, Any]]) -> dict[str, Any]:
    """A point's medians and every turn's figures."""
    point: dict[str, Any] = {"at_message": first}
    for key in MEASURES:
        values = [turn[key] for turn in turns]
        point[f"{key}_median"] = round(statistics.median(values), 1)
        point[key] = [round(value, 1) for value in values]
    point["calls_of_last_turn"] = turns[-1]["calls"]  # operation:items returned
    return point


def twin_events(index: int) -> list[dict[str, Any]]:
    """The demo shopper's events (index 0), or those of her twin number `index`: same orders."""
    from dev.seed import DEMO_CUSTOMER_ID, DEMO_EMAIL, demo_events

    text = json.dumps(demo_events())
    if index == 0:
        return list(json.loads(text))
    for old, new in (
        (DEMO_CUSTOMER_ID, f"cust-twin-{index}"),
        (DEMO_EMAIL, f"twin{index}@example.com"),
    ):
        text = text.replace(old, new)
    text = text.replace('"seed-', f'"seed-twin{index}-').replace('"o-', f'"o-twin{index}-')
    return list(json.loads(text.replace(AVA, twin_phone(index))))


def twin_phone(index: int) -> str:
    """The phone of the shopper measured at point `index` (0: the demo shopper)."""
    return AVA if index == 0 else f"{AVA[:-3]}{int(AVA[-3:]) + index:03d}"


def measure(points: list[int], turns: int, interleave: bool = False) -> dict[str, Any]:
    """The turns at each point: of one conversation, or of one twin shopper's each, alternating.

    Interleaved, every point has its own shopper (the demo shopper's twins: the same profile and
    orders), grown to its point first; then the points take turns, one turn each per round, so
    a busy machine slows every point alike.
    """
    from tests.harness import seed_store

    with moto_server() as moto, TimedTwilioApi() as twilio:
        pipeline, _ = counted_pipeline(moto.url, twilio)
        seed_store(pipeline)
        meter = ReadMeter()
        meter.attach(pipeline.services.table.client)
        shoppers = range(len(points)) if interleave else range(1)
        ids = [start_conversation(pipeline, index) for index in shoppers]
        found: list[list[dict[str, Any]]] = [[] for _ in points]
        if interleave:
            for index, point in enumerate(points):
                grow_to(pipeline, ids[index], point - 1)
            for k in range(turns):
                for index, point in enumerate(points):
                    phone = twin_phone(index)
                    found[index].append(timed_turn(pipeline, meter, moto, phone, point + 2 * k))
        else:
            for index, point in enumerate(points):
                grow_to(pipeline, ids[0], point - 1)
                for k in range(turns):
                    found[index].append(timed_turn(pipeline, meter, moto, AVA, point + 2 * k))
        states = {pipeline.services.conversations.load_meta(cid).state.value for cid in ids}
    summaries = [summarized(point, turns) for point, turns in zip(points, found, strict=True)]
    first, last = summaries[0], summaries[-1]
    ratios = {
        f"{key}_ratio_last_to_first": round(
            last[f"{key}_median"] / max(first[f"{key}_median"], 0.1), 2
        )
        for key in MEASURES
    }
    state = ",".join(sorted(states))
    return {"points": summaries, "state_at_end": state, **ratios}  # "ai": every turn the AI's


def start_conversation(pipeline: Any, index: int) -> str:
    """Seed shopper `index` and play the exchange grow_to copies; her SMS conversation's id."""
    store = {"X-Api-Key": pipeline.env["STORE_API_KEYS"].split(",")[0]}
    if index:
        answer = pipeline.post_json("/events", {"events": twin_events(index)}, store)
        assert answer.status_code == 202, answer.body
    phone = twin_phone(index)
    post_sms(pipeline, f"SM{phone[-4:]}{0:028d}", QUESTION, phone)
    pipeline.drain()
    customer = twin_events(index)[0]["data"]["customer_id"]
    listed = pipeline.services.conversations.for_customer(customer)
    return str(next(c["conversation_id"] for c in listed if c["channel"] == "sms"))


def main(argv: list[str] | None = None) -> None:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=int, nargs="+", default=[5, 500])
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--whole", action="store_true", help="turns read every message (before)")
    parser.add_argument("--window", type=int, help="items a turn's Query reads (default: WINDOW)")
    parser.add_argument(
        "--interleave", action="store_true", help="a twin shopper per point, turns alternating"
    )
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
    print(json.dumps(measure(options.at, options.turns, options.interleave), indent=2))


if __name__ == "__main__":
    main()
