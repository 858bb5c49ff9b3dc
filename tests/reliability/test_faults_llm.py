"""LLM faults at each model call of an SMS turn (real openai client, fake server): answered once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from dev.fakes.openai_api import (
    FakeOpenAI,
    Scripted,
    delay,
    error,
    garbage,
    text,
    tool_call,
)
from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import AVA, conversation_of, sms_form
from tests.channels.twilio.twilio_client import text as deliver
from tests.harness import Pipeline
from tests.reliability.faults import AwsFaults
from tests.reliability.support import (
    escalations_queued,
    fresh_pipeline,
    queue_depth,
    sms_outcome,
)

QUESTION = "where is my order #1001?"
LOOKUP = tool_call("lookup_orders", order_number="1001")
FAILURES = {
    "timeout": lambda: delay(3),  # the client gives up after OPENAI_TIMEOUT_SECONDS=0.5
    "500": lambda: error(500),
    "503": lambda: error(503),
    "429": lambda: error(429),
    "not-json": lambda: garbage("<html>502 Bad Gateway</html>"),
    "no-choices": lambda: garbage('{"id": "chatcmpl-1", "object": "chat.completion"}'),
    "bad-arguments": lambda: tool_call("lookup_orders", "{not json"),
    "unknown-tool": lambda: tool_call("refund_every_order", {}),
}
# Every failure at the first call; after a tool result, one of each kind (the same code paths).
CASES = [(failure, 0) for failure in FAILURES]
CASES += [(failure, 1) for failure in ("timeout", "503", "not-json", "unknown-tool")]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    """The scripted OpenAI-compatible server."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def saved_environment() -> Iterator[None]:
    """The process environment as it was: these tests set AGENT_BACKEND=openai."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def ai_pipeline(moto_url: str, twilio_api: FakeTwilioApi, fake: FakeOpenAI) -> Pipeline:
    """The SMS pipeline on the openai backend; one try per model call, half a second each."""
    return fresh_pipeline(
        moto_url,
        twilio_api,
        AGENT_BACKEND="openai",
        OPENAI_BASE_URL=fake.base_url,
        OPENAI_API_KEY="sk-test-0123456789abcdef",
        OPENAI_MODEL="fake-model",
        OPENAI_TIMEOUT_SECONDS="0.5",
        OPENAI_MAX_RETRIES="0",
    )


def last_ai_meta(pipeline: Pipeline) -> dict[str, Any]:
    """The meta of the AI's reply in Ava's SMS conversation."""
    conversation = conversation_of(pipeline, "sms", AVA)
    return [m for m in conversation.messages if m.author.value == "ai"][-1].meta


@pytest.mark.usefixtures("saved_environment")
@pytest.mark.parametrize(("failure", "call"), CASES, ids=[f"{f}-at-call-{c + 1}" for f, c in CASES])
def test_a_failed_model_call_gets_one_holding_reply_and_one_escalation(
    moto_url: str, twilio_api: FakeTwilioApi, fake: FakeOpenAI, call: int, failure: str
) -> None:
    pipeline = ai_pipeline(moto_url, twilio_api, fake)
    fake.script(*[LOOKUP] * call, FAILURES[failure]())
    assert deliver(pipeline, sms_form(QUESTION)).status_code == 200
    pipeline.drain()
    outcome = sms_outcome(pipeline, twilio_api)
    stored = (outcome.customer_messages, outcome.replies, outcome.sends, outcome.unsent)
    assert stored == (1, 1, 1, 0) and outcome.escalated, outcome
    reasons = [r["code"] for r in last_ai_meta(pipeline)["escalation"]["reasons"]]
    assert reasons == ["ai_unavailable"]
    [sent] = twilio_api.messages
    assert "a person will reply" in sent["params"]["Body"]
    assert escalations_queued(pipeline) == 1
    assert len(fake.requests) == call + 1  # no model call repeated by a redelivery
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0


class SearchingModel:
    """A model that searches the knowledge base, then answers; notes the AWS calls made so far."""

    def __init__(self) -> None:
        self.faults: AwsFaults | None = None
        self.seen_at: list[int] = []

    def __call__(self, body: dict[str, Any]) -> Scripted:
        self.seen_at.append(len(self.faults.calls) if self.faults else 0)
        if body["messages"][-1]["role"] == "tool":
            return text("Standard shipping takes 3 to 5 business days.")
        return tool_call("search_knowledge", query="shipping times")


@pytest.mark.usefixtures("saved_environment")
def test_throttling_in_a_tool_is_retried_through_the_queue_not_escalated(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    model = SearchingModel()
    with FakeOpenAI(default=model) as fake:
        pipeline = ai_pipeline(moto_url, twilio_api, fake)
        model.faults = AwsFaults(pipeline.services)
        assert deliver(pipeline, sms_form("how long does shipping take?")).status_code == 200
        model.faults.reset()
        pipeline.drain()
        tool_calls = range(model.seen_at[0], model.seen_at[-1])  # between the two model calls
        assert len(tool_calls) >= 1
        for position in tool_calls:
            pipeline = ai_pipeline(moto_url, twilio_api, fake)
            model.faults = AwsFaults(pipeline.services)
            assert deliver(pipeline, sms_form("how long does shipping take?")).status_code == 200
            model.faults.reset(fail_at={position})
            pipeline.drain()
            outcome = sms_outcome(pipeline, twilio_api)
            assert (outcome.customer_messages, outcome.replies, outcome.sends) == (1, 1, 1)
            assert outcome.unsent == 0 and not outcome.escalated, (position, outcome)
            assert "3 to 5 business days" in twilio_api.messages[0]["params"]["Body"]
