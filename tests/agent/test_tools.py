"""The tools' own outcomes: an action is recorded only for what really happened."""

from __future__ import annotations

from typing import Any

from chalicelib.agent.tools import ToolBox, ToolDeps
from tests.agent.chat import demo_shop
from tests.harness import Pipeline


def toolbox(pipeline: Pipeline, **deps: Any) -> ToolBox:
    """Ava's tools on the pipeline's real tables, with `deps` injected."""
    services = pipeline.services
    bundle = services.customers.load("cust-ava")
    parts = ToolDeps(customers=services.customers, catalog=services.catalog, **deps)
    return ToolBox(bundle, verified=True, deps=parts)


def test_a_reminder_with_no_follow_up_service_is_unavailable_not_requested(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline)
    tools = toolbox(pipeline)
    result = tools.schedule_follow_up("THROW-WOOL-OAT", reason="remind me")
    assert result["error"] == "unavailable" and tools.actions == []


def test_a_failing_interest_rule_leaves_the_recorded_interest_said_and_stored(
    pipeline: Pipeline,
) -> None:
    def broken_rule(*_args: Any) -> None:
        raise RuntimeError("scheduler down")

    demo_shop(pipeline)
    tools = toolbox(pipeline, on_interest=broken_rule)
    result = tools.record_interest("THROW-WOOL-OAT", note="likes it")
    assert result == {"recorded": True, "sku": "THROW-WOOL-OAT"}
    assert tools.actions == [{"type": "interest_recorded", "sku": "THROW-WOOL-OAT"}]
    events = pipeline.services.customers.load("cust-ava").events
    assert [e["data"]["sku"] for e in events if e["type"] == "interest"] == ["THROW-WOOL-OAT"]


def test_the_same_question_looked_up_twice_in_a_turn_is_one_recorded_call(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline)
    tools = toolbox(pipeline, knowledge=pipeline.services.knowledge)
    first = tools.search_knowledge("how long do refunds take?")
    again = tools.search_knowledge("how long do refunds take?")
    other = tools.search_knowledge("do you ship to Canada?")
    assert first == again and first["articles"][0]["article_id"] == "returns"
    assert other["articles"][0]["article_id"] == "international-shipping"
    assert [call.arguments["query"] for call in tools.calls] == [
        "how long do refunds take?",
        "do you ship to Canada?",
    ]
