"""Handoff under redelivery and races: one packet per escalation, one owner at a time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.config.settings import Settings
from chalicelib.domain.errors import TransientError
from tests.agents import BlockingAgent
from tests.handoff.support import (
    AGENT,
    HELPDESK,
    Desk,
    helpdesk_events,
    inbound_bodies,
    sms_from_ava,
    start_desk,
)

DAMAGED = "My order 1001 arrived damaged, the tee is torn."


@pytest.fixture
def desk(moto_clean: str) -> Iterator[Desk]:
    yield start_desk(moto_clean)
    bootstrap.reset(None)


def _worker(desk: Desk) -> Any:
    """Another Lambda instance: its own services, the same agent and senders."""
    return bootstrap.Services(Settings(), dict(desk.pipeline.services.overrides))


class FailOnceQueue:
    """The helpdesk queue failing its first send, as SQS does now and then."""

    def __init__(self, queue: Any) -> None:
        self.queue, self.failed = queue, False

    def send(self, body: dict[str, Any], group: str, dedupe_id: str) -> None:
        if not self.failed:
            self.failed = True
            raise TransientError("the queue did not accept the message")
        self.queue.send(body, group, dedupe_id)


def test_same_escalating_message_delivered_concurrently_yields_one_packet(desk: Desk) -> None:
    sms_from_ava(desk.pipeline, DAMAGED, "SMr1")
    [body] = inbound_bodies(desk.pipeline)
    workers = [_worker(desk) for _ in range(4)]
    start = threading.Barrier(len(workers))

    def run(services: Any) -> None:
        start.wait()
        services.turns.handle(body)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [e["type"] for e in helpdesk_events(desk.pipeline)] == ["escalation.created"]
    [conversation_id] = {m.conversation_id for m in desk.phone.sent}
    stored = desk.pipeline.services.conversations.load(conversation_id)
    assert [m.author.value for m in stored.messages] == ["customer", "ai"]
    assert stored.state.value == "human"


def test_turn_retried_after_the_queue_failed_sends_one_packet_and_one_holding_reply(
    desk: Desk,
) -> None:
    services = desk.pipeline.services
    services.helpdesk_queue.queue = FailOnceQueue(services.helpdesk_queue.queue)
    sms_from_ava(desk.pipeline, DAMAGED, "SMr2")
    [body] = inbound_bodies(desk.pipeline)
    with pytest.raises(TransientError):
        services.turns.handle(body)
    assert desk.phone.sent == [] and helpdesk_events(desk.pipeline) == []
    for _ in range(2):
        services.turns.handle(body)
    assert [e["type"] for e in helpdesk_events(desk.pipeline)] == ["escalation.created"]
    assert len(desk.phone.sent) == 1


def test_turn_that_stopped_before_the_handoff_hands_off_on_redelivery(desk: Desk) -> None:
    services = desk.pipeline.services
    sms_from_ava(desk.pipeline, DAMAGED, "SMr3")
    [body] = inbound_bodies(desk.pipeline)
    services.turns.handoff = None  # the reply is stored, then the worker dies
    services.turns.handle(body)
    services.turns.handoff = services.handoff
    services.turns.handle(body)
    events = helpdesk_events(desk.pipeline)
    assert [e["type"] for e in events] == ["escalation.created"]
    assert events[0]["data"]["reasons"][0]["code"] == "damaged_item"


def test_human_reply_racing_an_ai_turn_leaves_the_human_as_the_one_owner(moto_clean: str) -> None:
    agent = BlockingAgent()
    desk = start_desk(moto_clean, agent)
    try:
        agent.proceed.set()  # the first message is answered; the conversation exists
        sms_from_ava(desk.pipeline, "Hi, quick question", "SMr4")
        [first] = inbound_bodies(desk.pipeline)
        desk.pipeline.services.turns.handle(first)
        agent.entered.clear()
        agent.proceed.clear()
        sms_from_ava(desk.pipeline, "Where is my order 1001?", "SMr5")
        [body] = inbound_bodies(desk.pipeline)
        worker = threading.Thread(target=_worker(desk).turns.handle, args=(body,))
        worker.start()
        assert agent.entered.wait(timeout=30)
        conversation_id = desk.pipeline.services.customers.load("cust-ava").threads[
            "sms#+14155550123"
        ]
        reply = {"text": "Hi Ava, Sam here: it ships tomorrow.", "agent": AGENT}
        path = f"/conversations/{conversation_id}/replies"
        assert desk.pipeline.post_json(path, reply, HELPDESK).status_code == 201
        agent.proceed.set()
        worker.join(timeout=30)
        view = desk.pipeline.get(f"/conversations/{conversation_id}", HELPDESK).json_body
        assert view["state"] == "human"
        authors = [m["author"] for m in view["transcript"]]
        # The customer's message in flight is kept; the AI's answer to it is not.
        assert authors == ["customer", "ai", "customer", "human"]
        assert [m.text for m in desk.phone.sent][1:] == [reply["text"]]
        # The human answered before it was stored, so it reaches the helpdesk, once.
        events = helpdesk_events(desk.pipeline)
        assert [e["type"] for e in events] == ["conversation.customer_message"]
        assert events[0]["data"]["message"]["text"] == "Where is my order 1001?"
    finally:
        agent.proceed.set()
        bootstrap.reset(None)


class FailOnce:
    """A repository method failing its first call with throttling, as DynamoDB does now and then."""

    def __init__(self, method: Any) -> None:
        self.method, self.failed = method, False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self.failed:
            self.failed = True
            raise TransientError("DynamoDB ThrottlingException")
        return self.method(*args, **kwargs)


def test_a_packet_queued_is_recorded_sent_in_the_same_turn_despite_a_throttled_write(
    desk: Desk,
) -> None:
    services = desk.pipeline.services
    escalations = services.handoff.escalations
    escalations.mark_done = FailOnce(escalations.mark_done)
    sms_from_ava(desk.pipeline, DAMAGED, "SMr6")
    [body] = inbound_bodies(desk.pipeline)
    services.turns.handle(body)  # no retry through the queue: it would queue the packet again
    assert escalations.mark_done.failed
    assert [e["type"] for e in helpdesk_events(desk.pipeline)] == ["escalation.created"]
    assert len(desk.phone.sent) == 1
