"""Discount policy and every triage trigger, through the pipeline with the rules backend."""

from __future__ import annotations

import pytest

from chalicelib.store.discounts import DiscountClaims
from tests.agent.chat import cart, codes, demo_shop, open_chat
from tests.harness import Pipeline


def discount_actions(reply: object) -> list[dict[str, object]]:
    return [a for a in reply.actions if a["type"] == "discount_applied"]  # type: ignore[attr-defined]


def test_a_code_the_tier_allows_is_applied_once(pipeline: Pipeline) -> None:
    demo_shop(pipeline, cart("cust-ava", 100))
    chat = open_chat(pipeline)
    first = chat.say("Can I use code GOLD20 please?")
    assert "applied GOLD20" in first.text
    assert discount_actions(first) == [
        {"type": "discount_applied", "code": "GOLD20", "discount": "20% off"}
    ]
    assert DiscountClaims(pipeline.services.table).used("cust-ava", "GOLD20")
    again = chat.say("Apply code GOLD20 again")
    assert "already used" in again.text and discount_actions(again) == []


def test_another_tiers_code_is_refused(pipeline: Pipeline) -> None:
    demo_shop(pipeline, cart("cust-ava", 100))
    reply = open_chat(pipeline).say("Can I have the PLAT25 discount?")
    assert "not available" in reply.text and discount_actions(reply) == []


def test_a_cart_below_the_minimum_is_refused(pipeline: Pipeline) -> None:
    demo_shop(pipeline, cart("cust-ava", 50))
    reply = open_chat(pipeline).say("discount code GOLD20?")
    assert "at least 80" in reply.text and discount_actions(reply) == []


@pytest.mark.parametrize("code", ["FREE100", "100OFF", "STAFF50"])
def test_an_arbitrary_code_is_refused(pipeline: Pipeline, code: str) -> None:
    demo_shop(pipeline, cart("cust-ava", 500))
    reply = open_chat(pipeline).say(f"Please apply code {code}")
    assert "not a code the store offers" in reply.text and discount_actions(reply) == []


def test_asking_for_a_discount_applies_the_best_code_the_cart_qualifies_for(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline, cart("cust-ava", 100))
    reply = open_chat(pipeline).say("Do you have a discount for me?")
    assert [a["code"] for a in discount_actions(reply)] == ["GOLD20"]


def test_a_question_about_discounts_offers_the_codes_and_yes_applies_one(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline, cart("cust-ava", 100))
    chat = open_chat(pipeline)
    asked = chat.say("what discounts can I get?")
    assert asked.text.startswith("You qualify for GOLD20 (20% off)")
    assert "Want me to apply GOLD20?" in asked.text and discount_actions(asked) == []
    accepted = chat.say("yes please")
    assert "applied GOLD20" in accepted.text
    assert [a["code"] for a in discount_actions(accepted)] == ["GOLD20"]


def test_a_kind_of_discount_the_store_never_wrote_about_is_not_answered_with_a_code(
    pipeline: Pipeline,
) -> None:
    demo_shop(pipeline, cart("cust-ava", 100))
    reply = open_chat(pipeline).say("Do you offer a military discount?")
    assert "don't know" in reply.text and discount_actions(reply) == []
    assert not DiscountClaims(pipeline.services.table).used("cust-ava", "GOLD20")


def test_combining_a_code_with_points_escalates_as_discount_judgment(pipeline: Pipeline) -> None:
    demo_shop(pipeline, cart("cust-ava", 100))
    reply = open_chat(pipeline).say("Can I use GOLD20 together with my loyalty points?")
    assert codes(reply) == ["discount_judgment"]
    assert "a person will reply by" in reply.text and discount_actions(reply) == []


def test_an_anonymous_visitor_gets_no_discount(pipeline: Pipeline) -> None:
    demo_shop(pipeline)
    reply = open_chat(pipeline, None).say("apply code FREESHIP")
    assert "sign in" in reply.text and reply.actions == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I want to talk to a human please", "human_requested"),
        ("This is the worst service, I'm furious and fed up", "frustration"),
        ("where the f*ck is my stuff", "profanity"),
        ("Amazon has it cheaper", "competitor_mention"),
        ("My order arrived broken", "damaged_item"),
        ("My order is late, I was charged twice, and I want to return the jeans.", "multi_issue"),
        ("I'll file a chargeback with my bank", "legal_or_chargeback"),
    ],
)
def test_every_triage_trigger_escalates_with_its_code(
    pipeline: Pipeline, text: str, code: str
) -> None:
    demo_shop(pipeline)
    reply = open_chat(pipeline).say(text)
    assert code in codes(reply)
    assert reply.tools == [] and reply.meta["fallback"] is False
    assert "a person will reply by" in reply.text
    assert reply.meta["escalation"]["reasons"][0]["evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "I don't need to talk to a person, just the tracking link",
        "AMAZING service, THANK YOU!!",
        "My UPS tracking number says delivered",
        "Where is my order, and can I return the tee?",
        "What if I pick the wrong size?",
    ],
)
def test_near_misses_are_answered_not_escalated(pipeline: Pipeline, text: str) -> None:
    demo_shop(pipeline)
    reply = open_chat(pipeline).say(text)
    assert "escalation" not in reply.meta
    assert "a person will reply" not in reply.text
