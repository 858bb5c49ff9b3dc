"""What the reliability tests share: a fresh Twilio pipeline, fast redelivery, the end state."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from chalicelib import bootstrap
from chalicelib.providers.core import Overrides
from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import AVA, conversation_of, seed_demo
from tests.harness import Pipeline, start_pipeline


def fresh_pipeline(
    moto_url: str,
    twilio_api: FakeTwilioApi,
    overrides: Overrides | None = None,
    **settings: str,
) -> Pipeline:
    """A clean moto, the demo customer, the fake Twilio; failed messages come back at once."""
    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    twilio_api.reset()
    bootstrap.reset(None)
    base_url = twilio_api.base_url
    pipeline = start_pipeline(moto_url, overrides, TWILIO_API_BASE_URL=base_url, **settings)
    seed_demo(pipeline)
    for setting in ("INBOUND_QUEUE_URL", "INBOUND_EMAIL_QUEUE_URL"):
        attributes = {"VisibilityTimeout": "0"}
        pipeline.sqs().set_queue_attributes(QueueUrl=pipeline.env[setting], Attributes=attributes)
    return pipeline


def together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call in its own thread, released together; a call's error is its result."""
    start = threading.Barrier(len(calls))

    def released(call: Callable[[], Any]) -> Any:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(released, call) for call in calls]
    return [future.exception() or future.result() for future in futures]


def at_once(call: Callable[[], Any], copies: int) -> list[Any]:
    """Run `call` in `copies` threads at once (a race's loser's error is its result)."""
    return together([call] * copies)


def queued_bodies(pipeline: Pipeline) -> list[dict[str, Any]]:
    """The inbound queue's record bodies, as a worker would see them (left in the queue)."""
    sqs, url = pipeline.sqs(), pipeline.env["INBOUND_QUEUE_URL"]
    found = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [json.loads(m["Body"]) for m in found.get("Messages", [])]


def redeliver_concurrently(pipeline: Pipeline, copies: int = 3) -> None:
    """Run the queued turn in several workers at once, as an expired visibility would."""
    bodies = queued_bodies(pipeline)
    if not bodies:
        return
    # A race's loser may fail: the queue retries it (the final drain).
    at_once(lambda: pipeline.services.turns.handle_group(bodies), copies)


def queue_depth(pipeline: Pipeline, setting: str, dlq: bool = False) -> int:
    """Messages left in a queue (or its dead-letter queue)."""
    url = pipeline.env[setting]
    if dlq:
        url = url.replace(".fifo", "-dlq.fifo") if url.endswith(".fifo") else f"{url}-dlq"
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    found = pipeline.sqs().get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(found.get(name, 0)) for name in names)


class Records(logging.Handler):
    """Keeps the log records the app emits."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.seen.append(record)


@dataclass
class Outcome:
    """How an SMS conversation ended."""

    customer_messages: int
    replies: int
    sends: int
    escalated: bool
    unsent: int


def sms_outcome(pipeline: Pipeline, twilio_api: FakeTwilioApi) -> Outcome:
    """Count what ended up stored and sent for Ava's SMS conversation."""
    conversation = conversation_of(pipeline, "sms", AVA)
    authors = [m.author.value for m in conversation.messages]
    sends = [m for m in twilio_api.messages if m["params"].get("To") == AVA]
    escalated = conversation.state.value == "human" or bool(conversation.meta.get("escalation"))
    return Outcome(
        customer_messages=authors.count("customer"),
        replies=authors.count("ai"),
        sends=len(sends),
        escalated=escalated,
        unsent=len(conversation.unsent("9999")),
    )


def exactly_once(outcome: Outcome) -> bool:
    """One stored message answered by one sent reply, or by an escalation."""
    answered = outcome.replies == 1 and outcome.sends == 1 and outcome.unsent == 0
    return outcome.customer_messages == 1 and (answered or outcome.escalated)


def reply_sends(twilio_api: FakeTwilioApi) -> list[dict[str, Any]]:
    """Every message the fake Twilio accepted."""
    return list(twilio_api.messages)


def helpdesk_events(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Every event on the helpdesk queue, in order, taken off it (a helpdesk pulling them)."""
    sqs, url = pipeline.sqs(), pipeline.env["HELPDESK_QUEUE_URL"]
    events: list[dict[str, Any]] = []
    while found := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        events += [json.loads(message["Body"]) for message in found]
        for message in found:  # a FIFO group stays locked while its messages are in flight
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return events


def escalations_queued(pipeline: Pipeline) -> int:
    """How many escalation packets reached the helpdesk queue."""
    return sum(event["type"] == "escalation.created" for event in helpdesk_events(pipeline))
