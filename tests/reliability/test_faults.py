"""Faults at every AWS call of a turn, in Twilio and in the LLM: one reply or escalation, never two."""

from __future__ import annotations

import logging

import pytest

from chalicelib.runtime.observability import logger
from dev.fakes.twilio_api import FakeTwilioApi
from dev.fakes.twilio_http import Failure
from tests.channels.twilio.twilio_client import sms_form, text
from tests.reliability.faults import AwsFaults
from tests.reliability.support import (
    Records,
    exactly_once,
    fresh_pipeline,
    queue_depth,
    sms_outcome,
)

QUESTION = "where is my order?"


def clean_turn_calls(moto_url: str, twilio_api: FakeTwilioApi) -> list[str]:
    """The AWS calls of one plain turn in the worker, without faults."""
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    assert text(pipeline, sms_form(QUESTION)).status_code == 200
    faults.reset()
    pipeline.drain()
    return list(faults.calls)


def test_throttling_at_every_worker_call_still_answers_once(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    calls = clean_turn_calls(moto_url, twilio_api)
    assert len(calls) >= 4
    for position in range(len(calls)):
        pipeline = fresh_pipeline(moto_url, twilio_api)
        faults = AwsFaults(pipeline.services)
        assert text(pipeline, sms_form(QUESTION)).status_code == 200
        faults.reset(fail_at={position})
        pipeline.drain()
        outcome = sms_outcome(pipeline, twilio_api)
        assert exactly_once(outcome), (position, calls[position], outcome)
        assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0


@pytest.mark.parametrize("position", [0, 1])
def test_throttling_in_the_webhook_is_retried_by_twilio_and_answered_once(
    moto_url: str, twilio_api: FakeTwilioApi, position: int
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services)
    faults.reset(fail_at={position})
    assert text(pipeline, sms_form(QUESTION)).status_code == 503
    assert text(pipeline, sms_form(QUESTION)).status_code == 200  # Twilio's retry
    pipeline.drain()
    assert exactly_once(sms_outcome(pipeline, twilio_api))


@pytest.mark.parametrize(
    "failure",
    [Failure(2, 500), Failure(1, 503), Failure(1, 429, 20429), Failure(1, None, delay=12.0)],
    ids=["500x2", "503", "429", "timeout"],
)
def test_twilio_failures_are_retried_and_sent_once(
    moto_url: str, twilio_api: FakeTwilioApi, failure: Failure
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    assert text(pipeline, sms_form(QUESTION)).status_code == 200
    twilio_api.fail(failure)
    pipeline.drain()
    outcome = sms_outcome(pipeline, twilio_api)
    assert exactly_once(outcome), outcome


def test_a_poison_message_reaches_the_dead_letter_queue_with_an_error_log(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    url = pipeline.env["INBOUND_QUEUE_URL"]
    poison = '{"message_id": "m_poison", "inbound": {"channel": "carrier-pigeon"}}'
    pipeline.sqs().send_message(
        QueueUrl=url, MessageBody=poison, MessageGroupId="g", MessageDeduplicationId="p"
    )
    records = Records()
    logging.getLogger(logger.name).addHandler(records)
    try:
        pipeline.drain()
    finally:
        logging.getLogger(logger.name).removeHandler(records)
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL", dlq=True) == 1
    failed = [r for r in records.seen if r.msg == "turn failed, returned to the queue"]
    assert len(failed) == 5 and all(r.levelno == logging.ERROR for r in failed)
