"""The understanding step chooses a turn's tools: a sure intent gets its own, an unsure one all."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.agent.entities import Entity
from chalicelib.agent.intent_labels import Label
from chalicelib.agent.tool_choice import tools_for
from chalicelib.agent.tool_schemas import schemas_for
from chalicelib.agent.tools import TOOL_NAMES
from chalicelib.agent.understanding import Understanding, understand

ORDER_TOOLS = {"lookup_orders"}


def understood(
    intent: Label,
    confidence: float,
    *others: tuple[Label, float],
    entities: tuple[Entity, ...] = (),
) -> Understanding:
    ranked = ((intent, confidence), *others)
    return Understanding("text", intent, confidence, ranked, entities)


def test_a_sure_order_question_gets_the_order_tool_and_escalate_only() -> None:
    assert tools_for(understood(Label.ORDER_STATUS, 0.99)) == ("lookup_orders", "escalate")


def test_small_talk_gets_no_order_tool() -> None:
    assert tools_for(understand("Thanks!")) == ("escalate",)
    assert not ORDER_TOOLS & set(tools_for(understand("hello there")))


def test_an_unsure_turn_gets_every_tool() -> None:
    assert tools_for(understood(Label.ORDER_STATUS, 0.45)) == TOOL_NAMES
    assert tools_for(understand("yes please")) == TOOL_NAMES


def test_a_likely_runner_up_brings_its_tools() -> None:
    mixed = understood(Label.RETURNS_POLICY, 0.7, (Label.RECOMMENDATION, 0.2))
    assert tools_for(mixed) == (
        "search_knowledge",
        "recommend_products",
        "record_interest",
        "schedule_follow_up",
        "escalate",
    )
    faint = understood(Label.RETURNS_POLICY, 0.9, (Label.RECOMMENDATION, 0.05))
    assert tools_for(faint) == ("search_knowledge", "escalate")


def test_a_named_order_or_product_brings_its_tools() -> None:
    order = Entity("order_number", "1001", "#1001", 0.95)
    assert "lookup_orders" in tools_for(understood(Label.RETURNS_POLICY, 0.9, entities=(order,)))
    product = Entity("product", "TEE-LINEN-M", "Linen tee", 0.95)
    chosen = tools_for(understood(Label.SMALL_TALK, 0.9, entities=(product,)))
    assert "recommend_products" in chosen and "lookup_orders" not in chosen


def test_an_escalating_intent_the_model_still_answers_gets_every_tool() -> None:
    assert tools_for(understood(Label.COMPLAINT, 0.6)) == TOOL_NAMES


def test_schemas_for_keeps_only_the_named_tools_in_contract_order() -> None:
    names = [s["function"]["name"] for s in schemas_for(("escalate", "lookup_orders"))]
    assert names == ["lookup_orders", "escalate"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=120))
def test_any_message_gets_escalate_and_known_tools_and_all_when_unsure(text: str) -> None:
    found = understand(text)
    chosen = tools_for(found)
    assert "escalate" in chosen and set(chosen) <= set(TOOL_NAMES)
    assert list(chosen) == [name for name in TOOL_NAMES if name in chosen]
    if found.confidence < 0.5:
        assert chosen == TOOL_NAMES
