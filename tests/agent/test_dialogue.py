"""Dialogue state on the rules backend: offers accepted, interest captured, 'it' referring back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.agent.chat import codes, demo_shop, event, open_chat
from tests.harness import Pipeline, start_pipeline


def interests(pipeline: Pipeline, customer_id: str = "cust-ava") -> list[str]:
    events = pipeline.services.customers.load(customer_id).events
    return [e["data"]["sku"] for e in events if e["type"] == "interest"]


def followup_skus(pipeline: Pipeline) -> list[str]:
    return [f["sku"] for f in pipeline.services.customers.load("cust-ava").followups]


def test_yes_please_to_a_reminder_offer_schedules_it_for_that_product(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    chat = open_chat(pipeline)
    offered = chat.say("Can you recommend a dress?")
    assert offered.meta["offer"]["kind"] == "reminder"
    sku = offered.meta["offer"]["sku"]
    reply = chat.say("yes please")
    assert "which product" not in reply.text.lower()
    assert [a["type"] for a in reply.actions] == ["interest_recorded", "follow_up_scheduled"]
    assert reply.actions[1]["sku"] == sku and followup_skus(pipeline) == [sku]


def test_sure_remind_me_accepts_the_offer_too(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    chat = open_chat(pipeline)
    chat.say("I like the Wool throw")
    reply = chat.say("sure, remind me")
    assert "Wool throw" in reply.text and "THROW-WOOL-OAT" in followup_skus(pipeline)


def test_no_thanks_declines_without_doing_anything(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    chat = open_chat(pipeline)
    chat.say("Can you recommend a dress?")
    reply = chat.say("no thanks")
    assert reply.actions == [] and followup_skus(pipeline) == []


def test_i_like_a_product_records_the_interest(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    reply = open_chat(pipeline).say("I like the Wool throw")
    assert interests(pipeline) == ["THROW-WOOL-OAT"]
    assert "Wool throw" in reply.text and "noted your interest" in reply.text


def test_im_after_a_kind_of_product_records_the_closest_one(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    reply = open_chat(pipeline).say("I'm after a warm jacket")
    assert interests(pipeline) == ["JACKET-DEN-IND"] and "Denim jacket" in reply.text


def test_a_colour_the_catalog_has_is_found(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    reply = open_chat(pipeline).say("Do you have the oxford shirt in blue?")
    assert "Oxford shirt (blue)" in reply.text and interests(pipeline) == ["SHIRT-OXF-BLU"]


def test_do_you_have_it_in_blue_refers_to_the_product_talked_about(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    chat = open_chat(pipeline)
    chat.say("I like the Wool throw")
    reply = chat.say("do you have it in blue?")
    assert "don't see the Wool throw in blue" in reply.text
    assert interests(pipeline) == ["THROW-WOOL-OAT", "THROW-WOOL-OAT"]


def test_an_anonymous_visitor_gets_the_product_but_no_interest_recorded(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline)
    reply = open_chat(pipeline, None).say("I like the Wool throw")
    assert "Wool throw" in reply.text and "noted" not in reply.text and reply.actions == []


def orders_of_kim() -> list[dict[str, Any]]:
    profile = {"customer_id": "cust-kim", "first_name": "Kim", "email": "kim@example.com"}
    events = [event("customer.upserted", profile, "kim")]
    for number, eta in (("3001", "2026-12-10"), ("3002", "2026-12-12")):
        data = {
            "order_id": f"o-{number}",
            "order_number": number,
            "customer": {"customer_id": "cust-kim"},
            "status": "shipped",
            "placed_at": f"2026-12-0{number[-1]}T10:00:00Z",
            "items": [
                {"sku": "MUG-STONE-SET", "name": "Stoneware mug set", "quantity": 1, "price": 48}
            ],
            "total": 48,
            "currency": "USD",
            "shipment": {
                "carrier": "UPS",
                "tracking_number": f"1Z{number}",
                "estimated_delivery": eta,
            },
        }
        events.append(event("order.upserted", data, f"order-{number}"))
    return events


def test_and_when_will_it_arrive_answers_about_the_order_talked_about(pipeline: Pipeline) -> None:
    demo_shop(pipeline, *orders_of_kim())
    chat = open_chat(pipeline, "cust-kim")
    first = chat.say("What's the status of order 3001?")
    assert "#3001" in first.text and "#3002" not in first.text
    reply = chat.say("and when will it arrive?")
    assert "#3001" in reply.text and "2026-12-10" in reply.text and "#3002" not in reply.text


def test_an_unanswered_question_offers_a_person_and_yes_escalates_low_confidence(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline)
    chat = open_chat(pipeline)
    first = chat.say("Do you offer engraving?")
    assert "don't know" in first.text and "Gift cards" not in first.text
    assert first.meta["fallback"] is True and not codes(first) and first.sources == []
    reply = chat.say("yes please")
    assert codes(reply) == ["low_confidence"] and "a person will reply by" in reply.text


def test_the_same_unanswered_question_twice_escalates_as_repeated_failure(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline)
    chat = open_chat(pipeline)
    assert not codes(chat.say("Do you offer engraving?"))
    assert codes(chat.say("Do you offer engraving?")) == ["repeated_failure"]


def refusing_scheduler(*_args: Any) -> dict[str, Any]:
    return {"scheduled": False, "error": "opted_out", "message": "the customer opted out"}


@pytest.fixture
def refusing(moto_clean: str) -> Iterator[Pipeline]:
    """The pipeline whose follow-up scheduler refuses every request."""
    yield start_pipeline(moto_clean, {"schedule_follow_up": refusing_scheduler})
    bootstrap.reset(None)


def test_a_reminder_that_was_not_scheduled_is_not_claimed(refusing: Pipeline) -> None:
    demo_shop(refusing)
    chat = open_chat(refusing)
    chat.say("I like the Wool throw")
    reply = chat.say("yes please")
    assert "couldn't set a reminder" in reply.text and "Will do" not in reply.text
    assert "follow_up_scheduled" not in [a["type"] for a in reply.actions]


def test_it_is_the_one_order_the_last_answer_described(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    chat = open_chat(pipeline)
    assert "#1001" in chat.say("Where is my order?").text
    reply = chat.say("and when will it arrive?")
    assert "#1001" in reply.text and "other order" not in reply.text
