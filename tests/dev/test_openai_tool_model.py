"""The fake tool-using model looks an order up only when its context lacks it, and says the facts."""

from __future__ import annotations

import json
from typing import Any

from dev.fakes.openai_tool_model import SMALL_TALK_ANSWER, tool_using_model

LOOKUP = {"type": "function", "function": {"name": "lookup_orders"}}
SEARCH = {"type": "function", "function": {"name": "search_knowledge"}}


def request(
    context: str, *messages: dict[str, Any], tools: tuple[dict[str, Any], ...] = ()
) -> dict[str, Any]:
    system = [{"role": "system", "content": "rules"}, {"role": "system", "content": context}]
    return {"messages": [*system, *messages], "tools": list(tools)}


def asks(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def test_an_order_question_is_answered_from_a_context_listing_the_order() -> None:
    context = "Customer: Ava.\nOpen orders:\n- #1001 shipped, placed 2026-11-20: Tee; UPS 1Z9, ETA 2026-11-26"
    reply = tool_using_model(request(context, asks("Where is my order?"), tools=(LOOKUP,)))
    assert (
        reply.tool_calls == []
        and reply.text
        and "#1001 shipped" in reply.text
        and "1Z9" in reply.text
    )


def test_without_the_order_in_context_it_calls_lookup_orders() -> None:
    reply = tool_using_model(
        request("Customer: Ava; 2 orders (1 open).", asks("where is my order?"), tools=(LOOKUP,))
    )
    assert [call.name for call in reply.tool_calls] == ["lookup_orders"]


def test_a_tool_result_is_put_in_words() -> None:
    orders = {
        "orders": [
            {
                "order_number": "1001",
                "status": "shipped",
                "shipment": {
                    "carrier": "UPS",
                    "tracking_number": "1Z9",
                    "estimated_delivery": "2026-11-26",
                },
            }
        ]
    }
    tool = {"role": "tool", "tool_call_id": "c1", "content": json.dumps(orders)}
    reply = tool_using_model(request("Customer: Ava.", asks("where is it?"), tool))
    assert reply.text == "Order #1001 is shipped with UPS, tracking 1Z9, arriving 2026-11-26."


def test_a_policy_question_searches_only_when_the_tool_is_offered() -> None:
    offered = tool_using_model(request("", asks("How do returns work?"), tools=(SEARCH,)))
    assert [call.name for call in offered.tool_calls] == ["search_knowledge"]
    assert tool_using_model(request("", asks("How do returns work?"))).text == SMALL_TALK_ANSWER
