"""Whatever keeps failing past every retry, the customer's message ends with a person, or replied.

Twilio, SES or DynamoDB fail on every try; the queue redelivers (visibility 0) until the last
receive (maxReceiveCount). The LLM failing for good is covered by test_faults_llm.py (a holding reply
and an `ai_unavailable` escalation in the same turn).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from dev.fakes.openai_api import FakeOpenAI, error
from dev.fakes.twilio_api import FakeTwilioApi
from dev.fakes.twilio_http import Failure
from dev.resources import MAX_RECEIVES
from tests.channels.email.flow import FIRST_ID, customer_mail, mail_in, sent_mail
from tests.channels.email.flow import conversation_of as mail_conversation
from tests.channels.twilio.twilio_client import AVA, conversation_of, sms_form, text
from tests.harness import ROOT, Pipeline
from tests.reliability.faults import AwsFaults
from tests.reliability.support import fresh_pipeline, helpdesk_events, queue_depth
from tests.reliability.test_faults_llm import ai_pipeline, fake, saved_environment

__all__ = ["fake", "saved_environment"]
QUESTION = "where is my order?"


def escalation_packets(pipeline: Pipeline) -> list[dict[str, Any]]:
    """The escalation packets on the helpdesk queue."""
    events = helpdesk_events(pipeline)
    return [event["data"] for event in events if event["type"] == "escalation.created"]


def assert_with_a_person(pipeline: Pipeline, conversation: Any, failed: str) -> None:
    """Escalated once, reason ai_unavailable saying what failed, the customer's words kept."""
    assert conversation.state.value == "human", conversation.state
    [packet] = escalation_packets(pipeline)
    [reason] = packet["reasons"]
    assert reason["code"] == "ai_unavailable" and failed in reason["evidence"].lower(), reason
    customer = [m for m in packet["transcript"] if m["author"] == "customer"]
    assert customer and QUESTION in customer[-1]["text"].lower()
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL", dlq=True) == 0


def test_twilio_failing_on_every_try_ends_escalated_with_a_holding_reply_attempted(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    assert text(pipeline, sms_form(QUESTION)).status_code == 200
    twilio_api.fail(Failure(100, 500))
    pipeline.drain()
    conversation = conversation_of(pipeline, "sms", AVA)
    assert_with_a_person(pipeline, conversation, "twilio")
    holding = [m for m in conversation.messages if m.meta.get("holding")]
    assert len(holding) == 1 and holding[0].status == "failed"
    # The undelivered AI answer is recorded as such, never sent late by a later turn.
    assert [m.status for m in conversation.messages if m.author.value == "ai"].count("pending") == 0


def test_twilio_failing_past_the_retries_then_recovering_sends_the_holding_reply(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    assert text(pipeline, sms_form(QUESTION)).status_code == 200
    twilio_api.fail(Failure(MAX_RECEIVES, 500))  # every receive fails; the holding reply goes
    pipeline.drain()
    conversation = conversation_of(pipeline, "sms", AVA)
    assert_with_a_person(pipeline, conversation, "twilio")
    [sent] = twilio_api.messages
    assert "a person will reply" in sent["params"]["Body"].lower()


def test_ses_failing_on_every_try_ends_escalated(moto_url: str, twilio_api: FakeTwilioApi) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = AwsFaults(pipeline.services, also=[pipeline.services.sesv2])
    faults.reset(always={"sesv2.SendEmail"})
    mail_in(pipeline, customer_mail("Hi, where is my order?"), "ses-in-1")
    assert sent_mail(moto_url) == []
    assert_with_a_person(pipeline, mail_conversation(pipeline, FIRST_ID), "ses")


def test_dynamodb_failing_throughout_keeps_the_message_in_the_dlq_for_a_redrive(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    assert text(pipeline, sms_form(QUESTION)).status_code == 200
    faults = AwsFaults(pipeline.services)
    faults.reset(always=dynamodb_operations())
    pipeline.drain()
    # Nothing can be stored or escalated without the table: the message waits in the DLQ whole.
    assert twilio_api.messages == []
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL", dlq=True) == 1
    faults.reset()  # DynamoDB is back: the operator re-drives the DLQ with the documented script
    redrive(pipeline)
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL", dlq=True) == 0
    pipeline.drain()
    [sent] = twilio_api.messages
    assert "1001" in sent["params"]["Body"] or "UPS" in sent["params"]["Body"]


def dynamodb_operations() -> set[str]:
    """Every DynamoDB operation the app calls."""
    names = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "TransactWriteItems"]
    return {f"dynamodb.{name}" for name in [*names, "BatchGetItem", "BatchWriteItem", "Scan"]}


def redrive(pipeline: Pipeline) -> None:
    """`tandem dlq redrive inbound` against the pipeline's moto."""
    env = {**pipeline.env, "AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin"}
    env |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    done = subprocess.run(
        [sys.executable, "-m", "tandem_cli", "dlq", "redrive", "inbound"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "inbound: 1 message(s) re-driven"


@pytest.mark.usefixtures("saved_environment")
def test_the_llm_and_twilio_failing_together_end_with_one_escalation(
    moto_url: str, twilio_api: FakeTwilioApi, fake: FakeOpenAI
) -> None:
    pipeline = ai_pipeline(moto_url, twilio_api, fake)
    fake.script(*[error(500) for _ in range(10)])
    assert text(pipeline, sms_form(QUESTION)).status_code == 200
    twilio_api.fail(Failure(100, 500))
    pipeline.drain()
    conversation = conversation_of(pipeline, "sms", AVA)
    assert conversation.state.value == "human"
    [packet] = escalation_packets(pipeline)
    assert [reason["code"] for reason in packet["reasons"]] == ["ai_unavailable"]
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL", dlq=True) == 0
    assert len(fake.requests) == 1  # the model is not asked again on each retry
    assert [m.status for m in conversation.messages if m.author.value == "ai"].count("pending") == 0
