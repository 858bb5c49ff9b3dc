"""The fake OpenAI server speaks the protocol the real `openai` client expects."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import openai
import pytest
import requests

from dev.fakes.openai_api import (
    DEFAULT_TEXT,
    FakeOpenAI,
    Scripted,
    ToolCall,
    delay,
    error,
    garbage,
    text,
    tool_call,
    tool_calls,
)
from tests.conftest import free_port

LOOKUP_ORDERS = {
    "type": "function",
    "function": {
        "name": "lookup_orders",
        "description": "This customer's orders.",
        "parameters": {"type": "object", "properties": {"order_number": {"type": "string"}}},
    },
}


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def client(fake: FakeOpenAI, timeout: float = 5, retries: int = 0) -> openai.OpenAI:
    return openai.OpenAI(
        api_key="test-key", base_url=fake.base_url, timeout=timeout, max_retries=retries
    )


def ask(fake: FakeOpenAI, **options: object) -> object:
    messages = [{"role": "user", "content": "Where is my order #1001?"}]
    return client(fake, **options).chat.completions.create(  # type: ignore[call-overload]
        model="gpt-test", messages=messages, tools=[LOOKUP_ORDERS]
    )


def test_text_answer_reaches_the_client(fake: FakeOpenAI) -> None:
    fake.script(text("Your order 1001 shipped with UPS."))
    answer = ask(fake)
    assert answer.choices[0].message.content == "Your order 1001 shipped with UPS."
    assert answer.choices[0].finish_reason == "stop"
    assert fake.requests[0]["model"] == "gpt-test"
    assert fake.requests[0]["tools"][0]["function"]["name"] == "lookup_orders"


def test_tool_call_round_trip(fake: FakeOpenAI) -> None:
    fake.script(tool_call("lookup_orders", order_number="1001"), text("It shipped."))
    api = client(fake)
    messages: list = [{"role": "user", "content": "Where is #1001?"}]
    first = api.chat.completions.create(model="m", messages=messages, tools=[LOOKUP_ORDERS])
    call = first.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "lookup_orders",
        {"order_number": "1001"},
    )
    assert first.choices[0].finish_reason == "tool_calls"
    result = {"role": "tool", "tool_call_id": call.id, "content": '{"status": "shipped"}'}
    messages += [first.choices[0].message.model_dump(exclude_none=True), result]
    second = api.chat.completions.create(model="m", messages=messages, tools=[LOOKUP_ORDERS])
    assert second.choices[0].message.content == "It shipped."
    assert fake.requests[1]["messages"][-1] == result


def test_several_tool_calls_and_malformed_arguments(fake: FakeOpenAI) -> None:
    fake.script(tool_calls(ToolCall("lookup_orders", {}), ToolCall("escalate", "{not json")))
    calls = ask(fake).choices[0].message.tool_calls
    assert [call.function.arguments for call in calls] == ["{}", "{not json"]


def test_server_error_then_retry_succeeds(fake: FakeOpenAI) -> None:
    fake.script(error(500), text("Recovered."))
    assert ask(fake, retries=2).choices[0].message.content == "Recovered."
    assert len(fake.requests) == 2


def test_server_error_without_retries_raises(fake: FakeOpenAI) -> None:
    fake.script(error(503, "overloaded"))
    with pytest.raises(openai.InternalServerError, match="overloaded"):
        ask(fake)


def test_slow_answer_makes_the_client_time_out(fake: FakeOpenAI) -> None:
    fake.script(delay(5))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        ask(fake, timeout=0.3)
    assert time.monotonic() - started < 3


def test_garbage_bodies_reach_the_client_as_sent(fake: FakeOpenAI) -> None:
    fake.script(garbage("<html>502 Bad Gateway</html>"), garbage('{"object": "chat.completion"}'))
    with pytest.raises(json.JSONDecodeError):
        ask(fake)
    assert ask(fake).choices is None  # type: ignore[attr-defined]
    fake.script(garbage("overloaded", status=503))
    with pytest.raises(openai.InternalServerError):
        ask(fake)


def test_refusal_and_default_answer(fake: FakeOpenAI) -> None:
    fake.script(Scripted(refusal="I can't help with that."))
    assert ask(fake).choices[0].message.refusal == "I can't help with that."
    assert ask(fake).choices[0].message.content == DEFAULT_TEXT
    assert fake.pending == 0


def test_runs_by_hand_on_a_port() -> None:
    port = free_port()
    command = [sys.executable, "-m", "dev.fakes.openai_api", "--port", str(port), "--reply", "hi"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None and "fake OpenAI API" in process.stdout.readline()
            url = f"http://127.0.0.1:{port}/v1/chat/completions"
            answer = requests.post(url, json={"model": "m", "messages": []}, timeout=5).json()
            assert answer["choices"][0]["message"]["content"] == "hi"
        finally:
            process.terminate()
