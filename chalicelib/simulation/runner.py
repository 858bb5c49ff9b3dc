"""Plays each scenario through the real pipeline and checks every turn."""

from __future__ import annotations

import json
import time
from typing import Any

from chalicelib.simulation.channels import Thread, send
from chalicelib.simulation.checks import failures, leaks, secrets_of_others, turn_outcome
from chalicelib.simulation.model import Customer, Scenario, Turn
from chalicelib.simulation.world import HELPDESK_KEY, SEEDED_AT, World


def _event(kind: str, data: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {"id": event_id, "type": kind, "occurred_at": SEEDED_AT, "data": data}


def customer_events(customer: Customer, label: str) -> list[dict[str, Any]]:
    """A customer as `POST /events` events: profile, orders, cart."""
    ref = customer.ref()
    events = [_event("customer.upserted", customer.profile, f"{label}-profile")]
    for index, order in enumerate(customer.orders):
        events.append(_event("order.upserted", {**order, "customer": ref}, f"{label}-o{index}"))
    if customer.cart:
        events.append(_event("cart.updated", {**customer.cart, "customer": ref}, f"{label}-cart"))
    return events


def prepare(world: World, scenario: Scenario) -> None:
    """A clean state with the scenario's store, catalog, knowledge, customer and others."""
    world.fresh(scenario.store, full=touches_seeded_data(scenario, world.base_config()))
    built = world.services
    for article in scenario.knowledge:
        built.knowledge.put(str(article["id"]), str(article["title"]), str(article["body"]))
    events = [_event("product.upserted", p, f"product-{p.get('sku')}") for p in scenario.catalog]
    if scenario.customer:
        events += customer_events(scenario.customer, "customer")
    for index, other in enumerate(scenario.others):
        events += customer_events(other, f"other{index}")
    world.post_events(events)


def touches_seeded_data(scenario: Scenario, base: Any) -> bool:
    """Whether the scenario changes the store's own articles or products (then a full clean)."""
    if {"knowledge", "catalog"} & set(scenario.store):
        return True
    ids = {a.id for a in base.knowledge} | {p.sku for p in base.catalog}
    given = {str(a.get("id")) for a in scenario.knowledge} | {
        str(p.get("sku")) for p in scenario.catalog
    }
    return bool(ids & given)


def helpdesk_packets(world: World) -> list[dict[str, Any]]:
    """Escalation packets put on the helpdesk queue since the last look (read and deleted)."""
    sqs, url = world.services.sqs, world.env["HELPDESK_QUEUE_URL"]
    packets: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return packets
        for message in batch:
            body = json.loads(message["Body"])
            if body.get("type") == "escalation.created":
                packets.append(body["data"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def replies_after_customer(world: World, conversation_id: str | None) -> list[Any]:
    """The AI's and people's messages after the customer's last one (CSAT questions left out)."""
    if conversation_id is None:
        return []
    conversation = world.services.conversations.load(conversation_id)
    messages = conversation.messages if conversation else []
    last = max((i for i, m in enumerate(messages) if m.author.value == "customer"), default=-1)
    return [m for m in messages[last + 1 :] if m.meta.get("kind") != "csat"]


def play_helpdesk(world: World, thread: Thread, turn: Turn) -> dict[str, Any]:
    """A person replies on the customer's channel and/or hands the conversation back."""
    assert turn.helpdesk is not None and thread.conversation_id is not None
    path = f"/conversations/{thread.conversation_id}"
    if turn.helpdesk.reply:
        agent = {"id": "agent-sim", "name": "Sam"}
        body = {"text": turn.helpdesk.reply, "agent": agent}
        world.post_json(f"{path}/replies", body, HELPDESK_KEY)
    if turn.helpdesk.release:
        world.post_json(f"{path}/release", {}, HELPDESK_KEY)
    helpdesk_packets(world)
    conversation = world.services.conversations.load(thread.conversation_id)
    return {"state": conversation.state.value if conversation else None}


def play_turn(world: World, thread: Thread, turn: Turn, said: str) -> dict[str, Any]:
    """One turn: delivered, processed, and what it did (with the leak check)."""
    if turn.helpdesk is not None:
        return play_helpdesk(world, thread, turn)
    send(world, thread, turn.customer or "")
    replies = replies_after_customer(world, thread.conversation_id)
    actual = turn_outcome(replies, helpdesk_packets(world))
    actual["leaked"] = leaks(actual["reply"], secrets_of_others(thread.scenario), said)
    return actual


def run_or_fail(world: World, scenario: Scenario) -> dict[str, Any]:
    """The scenario's entry; one that cannot run is a failed scenario saying why (the run goes on)."""
    started = time.monotonic()
    try:
        return run_scenario(world, scenario)
    except Exception as error:  # any failure is this scenario's, not the run's
        return cannot_run(scenario.name, error, time.monotonic() - started)


def cannot_run(name: str, error: BaseException, seconds: float = 0.0) -> dict[str, Any]:
    """The report entry of a scenario that could not run: failed, with the reason."""
    reason = f"could not run: {type(error).__name__}: {error}"
    return {
        "name": name,
        "passed": False,
        "turns": [],
        "seconds": round(seconds, 3),
        "error": reason,
    }


def run_scenario(world: World, scenario: Scenario) -> dict[str, Any]:
    """Every turn of a scenario, as the report's entry."""
    started = time.monotonic()
    prepare(world, scenario)
    thread, said, turns = Thread(scenario), "", []
    for turn in scenario.turns:
        said += "\n" + (turn.customer or "")
        actual = play_turn(world, thread, turn, said)
        missed = failures(turn.expect, actual)
        expected = turn.expect.model_dump(exclude_none=True, exclude_defaults=True)
        if turn.helpdesk is not None:
            expected = {"helpdesk": turn.helpdesk.model_dump(exclude_defaults=True)}
        entry = {"expected": expected, "actual": actual, "passed": not missed}
        turns.append({**entry, "customer": turn.customer, "failures": missed})
    passed = all(t["passed"] for t in turns)
    seconds = round(time.monotonic() - started, 3)
    return {"name": scenario.name, "passed": passed, "turns": turns, "seconds": seconds}
