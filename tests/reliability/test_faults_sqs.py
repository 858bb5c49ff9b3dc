"""SQS failing (5xx, unavailable) in the webhook and in the worker: nothing lost, nothing twice."""

from __future__ import annotations

import logging

import pytest

from chalicelib.runtime.observability import logger
from chalicelib.runtime.retry import ATTEMPTS as FORGET_ATTEMPTS
from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import post_form, sms_form
from tests.harness import Pipeline
from tests.reliability.faults import AwsFaults
from tests.reliability.support import (
    Records,
    escalations_queued,
    exactly_once,
    fresh_pipeline,
    helpdesk_events,
    queue_depth,
    sms_outcome,
)

SEND = "sqs.SendMessage"
QUESTION = "where is my order?"
HUMAN = "I want to talk to a human please"


def deliver(pipeline: Pipeline, body: str, sid: str = "1", token: str | None = None) -> int:
    """Twilio's inbound webhook (with its idempotency token when given); the status we answer."""
    headers = {"I-Twilio-Idempotency-Token": token} if token else {}
    return int(post_form(pipeline, "/webhooks/twilio", sms_form(body, sid), **headers).status_code)


def webhook_sends(moto_url: str, twilio_api: FakeTwilioApi, token: str | None) -> list[int]:
    """Where the webhook's SendMessage calls are among its AWS calls, without faults."""
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    assert deliver(pipeline, QUESTION, token=token) == 200
    return faults.positions(SEND)


@pytest.mark.parametrize("token", [None, "idem-1"], ids=["no-token", "idempotency-token"])
def test_the_webhook_makes_the_dedupe_write_and_the_enqueue_only(
    moto_url: str, twilio_api: FakeTwilioApi, token: str | None
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    assert deliver(pipeline, QUESTION, token=token) == 200
    assert faults.calls == ["dynamodb.PutItem", SEND]


@pytest.mark.parametrize(
    ("code", "token"),
    [("ServiceUnavailable", None), ("InternalError", "idem-1")],
    ids=["unavailable", "internal-error-with-idempotency-token"],
)
def test_a_refused_enqueue_answers_5xx_and_twilio_s_retry_is_answered_once(
    moto_url: str, twilio_api: FakeTwilioApi, code: str, token: str | None
) -> None:
    sends = webhook_sends(moto_url, twilio_api, token)
    assert len(sends) == 1
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    faults.reset(fail_at=set(sends), code=code)
    assert deliver(pipeline, QUESTION, token=token) == 503
    assert deliver(pipeline, QUESTION, token=token) == 200  # Twilio's retry: not a duplicate
    pipeline.drain()
    outcome = sms_outcome(pipeline, twilio_api)
    assert exactly_once(outcome) and outcome.sends == 1, outcome


@pytest.mark.parametrize("token", [None, "idem-1"], ids=["no-token", "idempotency-token"])
def test_a_retry_gets_through_when_removing_the_dedupe_marker_fails_once_too(
    moto_url: str, twilio_api: FakeTwilioApi, token: str | None
) -> None:
    [send] = webhook_sends(moto_url, twilio_api, token)
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    faults.reset(fail_at={send, send + 1}, code="ServiceUnavailable")
    assert deliver(pipeline, QUESTION, token=token) == 503
    assert faults.calls[send + 1] == "dynamodb.DeleteItem"  # the marker's removal failed once
    assert deliver(pipeline, QUESTION, token=token) == 200
    pipeline.drain()
    outcome = sms_outcome(pipeline, twilio_api)
    assert exactly_once(outcome) and outcome.sends == 1, outcome


def test_a_dedupe_marker_that_cannot_be_removed_is_an_error_in_the_log(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    faults.reset(code="ServiceUnavailable", always={SEND, "dynamodb.DeleteItem"})
    records = Records()
    logging.getLogger(logger.name).addHandler(records)
    try:
        assert deliver(pipeline, QUESTION) == 503
    finally:
        logging.getLogger(logger.name).removeHandler(records)
    assert faults.calls.count("dynamodb.DeleteItem") == FORGET_ATTEMPTS
    [kept] = [r for r in records.seen if r.msg.startswith("delivery not queued")]
    assert kept.levelno == logging.ERROR


def handoff_calls(moto_url: str, twilio_api: FakeTwilioApi) -> list[int]:
    """Where the escalation's own AWS calls (packet, helpdesk queue) fall in a turn, no faults."""
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    assert deliver(pipeline, HUMAN) == 200
    faults.reset()
    pipeline.drain()
    assert escalations_queued(pipeline) == 1
    made = faults.made_by("chalicelib.handoff.escalation")
    assert set(faults.positions(SEND)) <= set(made)
    return made


def test_an_outage_at_every_aws_call_of_an_escalation_loses_no_packet_and_sends_none_twice(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    positions = handoff_calls(moto_url, twilio_api)
    assert len(positions) >= 3
    for position in positions:
        pipeline = fresh_pipeline(moto_url, twilio_api)
        faults = AwsFaults(pipeline.services)
        assert deliver(pipeline, HUMAN) == 200
        faults.reset(fail_at={position}, code="ServiceUnavailable")
        pipeline.drain()
        outcome = sms_outcome(pipeline, twilio_api)
        where = (position, faults.calls[position], outcome)
        assert outcome.escalated and (outcome.replies, outcome.sends) == (1, 1), where
        assert escalations_queued(pipeline) == 1, where
        assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0


def test_a_message_forwarded_to_the_helpdesk_survives_a_failed_send(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    assert deliver(pipeline, HUMAN) == 200
    pipeline.drain()
    assert escalations_queued(pipeline) == 1
    assert deliver(pipeline, "it is order 1001", sid="2") == 200
    faults.reset(code="ServiceUnavailable", always={SEND})
    pipeline.drain(rounds=2)  # the helpdesk queue is down for two tries
    faults.reset()
    pipeline.drain()
    forwarded = [e for e in helpdesk_events(pipeline) if e["type"] != "escalation.created"]
    assert [e["type"] for e in forwarded] == ["conversation.customer_message"]
    assert forwarded[0]["data"]["message"]["text"] == "it is order 1001"
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0
