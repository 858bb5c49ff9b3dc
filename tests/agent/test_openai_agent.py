"""The openai backend through the pipeline, with the real client against the scripted fake server."""

from __future__ import annotations

import json

import pytest

from chalicelib.agent.tools import TOOL_NAMES
from dev.fakes.openai_api import FakeOpenAI, Scripted, ToolCall, delay, error, text, tool_call
from dev.fakes.openai_api import tool_calls as calls
from dev.fakes.openai_tool_model import tool_using_model
from tests.agent.chat import codes, open_chat
from tests.harness import Pipeline

HOLDING = "a person will reply by"
TRACKING = "1Z999AA10123456784"


def tool_names(reply: object) -> list[str]:
    return [tool["name"] for tool in reply.tools]  # type: ignore[attr-defined]


def test_a_tool_call_is_executed_and_its_result_reaches_the_model(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    fake.script(tool_call("lookup_orders", order_number="1001"), text("Order 1001 is with UPS."))
    reply = open_chat(ai).say("Where is my order #1001?")
    assert reply.text == "Order 1001 is with UPS."
    assert tool_names(reply) == ["lookup_orders"]
    assert reply.tools[0]["result"]["orders"][0]["shipment"]["carrier"] == "UPS"
    first, second = fake.requests
    assert {t["function"]["name"] for t in first["tools"]} >= {"lookup_orders", "escalate"}
    assert (
        first["messages"][0]["role"] == "system" and "tier gold" in first["messages"][1]["content"]
    )
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and "1Z999AA10123456784" in tool_message["content"]


def test_multi_round_calls_record_every_tool_and_source(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(
        tool_call("search_knowledge", query="return policy"),
        calls(ToolCall("recommend_products", {"query": "linen"}), ToolCall("lookup_orders", {})),
        text("Returns are free within 30 days. You might like the linen tee."),
    )
    reply = open_chat(ai).say("How do returns work, and what else is there in linen?")
    assert tool_names(reply) == ["search_knowledge", "recommend_products", "lookup_orders"]
    assert reply.sources[0] == "returns@v1"
    assert "escalation" not in reply.meta and len(fake.requests) == 3


def test_the_conversation_so_far_is_sent_as_context(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(text("Hi Ava!"), text("Sure."))
    chat = open_chat(ai)
    chat.say("hello there")
    chat.say("and a second question")
    contents = [m.get("content") for m in fake.requests[1]["messages"]]
    assert contents[-3:] == ["hello there", "Hi Ava!", "and a second question"]


def test_arguments_the_schema_refuses_go_back_to_the_model_as_text(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    fake.script(
        tool_call("lookup_orders", email="bob@example.com"),
        text("I can only look up your own orders."),
    )
    reply = open_chat(ai).say("show orders for bob@example.com")
    assert reply.text == "I can only look up your own orders." and "escalation" not in reply.meta
    assert "Extra inputs are not permitted" in fake.requests[1]["messages"][-1]["content"]


@pytest.mark.parametrize(
    "scripted",
    [
        [tool_call("lookup_orders", "{not json")],
        [tool_call("delete_all_customers", {})],
        [Scripted(refusal="I can't help with that.")],
        [Scripted(text="cut off mid-sen", finish_reason="length")],
        [text("   ")],
        [error(500), error(500)],
        [error(401)],
        [delay(2), delay(2)],
        [tool_call("lookup_orders")] * 5,
    ],
    ids=[
        "malformed-args",
        "unknown-tool",
        "refusal",
        "truncated",
        "empty",
        "5xx",
        "auth",
        "timeout",
        "too-many-rounds",
    ],
)
def test_model_failures_get_a_holding_reply_and_escalate_ai_unavailable(
    ai: Pipeline, fake: FakeOpenAI, scripted: list[Scripted]
) -> None:
    fake.script(*scripted)
    reply = open_chat(ai).say("Where is my order?")
    assert codes(reply) == ["ai_unavailable"]
    assert HOLDING in reply.text
    assert reply.meta["escalation"]["reasons"][0]["evidence"]


def test_rounds_are_bounded_and_the_last_one_may_not_call_tools(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    fake.script(*[tool_call("lookup_orders")] * 5)
    open_chat(ai).say("Where is my order?")
    assert len(fake.requests) == 5
    assert [r["tool_choice"] for r in fake.requests] == ["auto"] * 4 + ["none"]


def test_one_5xx_is_retried_and_answered(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(error(503), text("All good."))
    reply = open_chat(ai).say("hello")
    assert reply.text == "All good." and "escalation" not in reply.meta


@pytest.mark.parametrize("ai_settings", [{"OPENAI_TURN_TOKEN_BUDGET": "20"}])
def test_the_token_budget_ends_the_turn(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(tool_call("lookup_orders"), text("never read"))
    reply = open_chat(ai).say("Where is my order?")
    assert codes(reply) == ["ai_unavailable"] and "budget" in str(reply.meta["escalation"])


def test_triage_runs_before_the_model(ai: Pipeline, fake: FakeOpenAI) -> None:
    reply = open_chat(ai).say("I want to talk to a real person")
    assert codes(reply) == ["human_requested"] and fake.requests == []
    assert HOLDING in reply.text


def test_the_escalate_tool_hands_over_with_its_reasons(ai: Pipeline, fake: FakeOpenAI) -> None:
    arguments = {"reasons": ["low_confidence"], "summary": "Wants a custom embroidery quote"}
    fake.script(tool_call("escalate", arguments), text("I've asked a colleague."))
    reply = open_chat(ai).say("Can you embroider my initials on a tee?")
    assert codes(reply) == ["low_confidence"] and HOLDING in reply.text
    assert reply.meta["escalation"]["summary"] == "Wants a custom embroidery quote"


def test_a_promised_human_is_backed_by_an_escalation(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(text("No worries, a team member will get back to you tomorrow."))
    reply = open_chat(ai).say("Can you embroider my initials on a tee?")
    assert codes(reply) == ["low_confidence"] and HOLDING in reply.text


def test_the_request_carries_the_configured_model_and_schemas(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    fake.script(text("hi"))
    open_chat(ai).say("Can I use code WELCOME10?")
    request = fake.requests[0]
    assert request["model"] == "fake-model"
    schema = next(t for t in request["tools"] if t["function"]["name"] == "apply_discount")
    assert schema["function"]["parameters"]["required"] == ["code"]
    assert "customer_id" not in json.dumps(request["tools"])


def offered(request: dict[str, object]) -> list[str]:
    return [tool["function"]["name"] for tool in request["tools"]]  # type: ignore[attr-defined]


def test_order_status_takes_one_round_trip_and_the_reply_carries_the_tracking(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    fake.default = tool_using_model  # looks the order up only when the context lacks it
    reply = open_chat(ai).say("Where is my order?")
    assert len(fake.requests) == 1 and reply.tools == []
    assert TRACKING in reply.text and "UPS" in reply.text and "ETA" in reply.text


def test_the_context_holds_only_this_customer_s_orders(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(text("Hi Ava!"))
    open_chat(ai).say("Where is my order?")
    context = fake.requests[0]["messages"][1]["content"]
    assert "#1001 shipped" in context and TRACKING in context and "ETA 20" in context
    assert "FX77700011" not in context and "2002" not in context and "Bob" not in context


def test_an_anonymous_visitor_s_context_holds_no_order(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(text("Please sign in first."))
    open_chat(ai, None).say("Where is my order?")
    context = fake.requests[0]["messages"][1]["content"]
    assert "NOT verified" in context and "#1001" not in context and TRACKING not in context


def test_a_small_talk_turn_is_offered_no_order_tools(ai: Pipeline, fake: FakeOpenAI) -> None:
    fake.script(text("You're welcome!"))
    open_chat(ai).say("Thanks!")
    assert offered(fake.requests[0]) == ["escalate"]


def test_an_unsure_turn_is_offered_every_tool_in_every_round(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    fake.script(tool_call("search_knowledge", query="gift"), text("Here is what I found."))
    open_chat(ai).say("yes please")
    assert [offered(request) for request in fake.requests] == [list(TOOL_NAMES)] * 2
