"""Every promise kept: a reply says only what the tools did, and the actions are what they did.

Each tool is made to refuse or fail (policy, opt-out, store error, unknown product), through the
web chat endpoint, the inbound queue and the helpdesk queue; on the openai backend the model then
claims it anyway, and the guardrail must withhold that claim and hand the customer to a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.agent.guardrails import unbacked_claims
from chalicelib.domain.conversations import StoredMessage
from chalicelib.store.discounts import DiscountClaims
from dev.fakes.openai_api import FakeOpenAI, text, tool_call
from tests.agent.chat import cart, codes, demo_shop, event, open_chat, post_events
from tests.harness import Pipeline, start_pipeline
from tests.reliability.support import escalations_queued

HOLDING = "a person will reply by"
OPTED_OUT = {"email_marketing": False, "sms_marketing": False, "whatsapp": False}


def action_types(reply: StoredMessage) -> list[str]:
    return [str(action["type"]) for action in reply.actions]


def scheduled_followups(pipeline: Pipeline) -> list[dict[str, Any]]:
    followups = pipeline.services.customers.load("cust-ava").followups
    return [f for f in followups if f.get("status") == "scheduled"]


def opt_out_ava(pipeline: Pipeline) -> None:
    profile = {"customer_id": "cust-ava", "email": "ava@example.com", "consent": OPTED_OUT}
    post_events(pipeline, [event("customer.upserted", profile, "ava-opts-out")])


def assert_withheld(pipeline: Pipeline, reply: StoredMessage, claim: str) -> None:
    """The model's claim never reached the customer; a person was told, with why."""
    assert claim not in reply.text and HOLDING in reply.text
    assert "low_confidence" in codes(reply) and reply.meta["fallback"] is True
    evidence = " ".join(r["evidence"] for r in reply.meta["escalation"]["reasons"])
    assert "which no tool did" in evidence
    assert escalations_queued(pipeline) == 1


# --- openai backend: the model's words are checked against the tools' outcomes ---------------


@pytest.mark.parametrize(
    ("code", "cart_total", "refusal"),
    [
        ("PLAT25", 500, "not_allowed"),
        ("GOLD20", 40, "not_allowed"),
        ("FREE100", 500, "not_allowed"),
    ],
)
def test_a_refused_discount_the_model_claims_is_withheld(
    ai: Pipeline, fake: FakeOpenAI, code: str, cart_total: float, refusal: str
) -> None:
    post_events(ai, [cart("cust-ava", cart_total)])
    claim = f"Done! I've applied {code} for you."
    fake.script(tool_call("apply_discount", code=code), text(claim))
    reply = open_chat(ai).say(f"Can I use code {code}?")
    assert reply.tools[0]["result"]["error"] == refusal and reply.actions == []
    assert_withheld(ai, reply, claim)
    assert not DiscountClaims(ai.services.table).used("cust-ava", code)


def test_a_discount_already_used_the_model_claims_in_the_passive_is_withheld(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    post_events(ai, [cart("cust-ava", 100)])
    DiscountClaims(ai.services.table).claim("cust-ava", "GOLD20", {"discount": "20% off"})
    claim = "GOLD20 has been applied to your cart."
    fake.script(tool_call("apply_discount", code="GOLD20"), text(claim))
    reply = open_chat(ai).say("Apply GOLD20 please")
    assert reply.tools[0]["result"]["error"] == "already_used" and reply.actions == []
    assert_withheld(ai, reply, claim)


def test_an_applied_discount_may_be_said(ai: Pipeline, fake: FakeOpenAI) -> None:
    post_events(ai, [cart("cust-ava", 100)])
    claim = "Done! I\u2019ve applied GOLD20 (20% off) for you."
    fake.script(tool_call("apply_discount", code="GOLD20"), text(claim))
    reply = open_chat(ai).say("Apply GOLD20 please")
    assert reply.text == claim and action_types(reply) == ["discount_applied"]
    assert "escalation" not in reply.meta and escalations_queued(ai) == 0


def test_a_reminder_for_an_opted_out_customer_the_model_promises_is_withheld(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    opt_out_ava(ai)
    claim = "Will do: I'll remind you about the Wool throw next week."
    fake.script(tool_call("schedule_follow_up", sku="THROW-WOOL-OAT"), text(claim))
    reply = open_chat(ai).say("Remind me about the wool throw next week")
    assert reply.tools[0]["result"]["scheduled"] is False
    assert action_types(reply) == ["follow_up_not_scheduled"]
    assert_withheld(ai, reply, claim)
    assert scheduled_followups(ai) == []


def test_a_reminder_the_tool_never_set_is_withheld(ai: Pipeline, fake: FakeOpenAI) -> None:
    claim = "I've set a reminder for the Wool throw."
    fake.script(text(claim))  # no tool call at all
    reply = open_chat(ai).say("Remind me about the wool throw")
    assert reply.tools == [] and reply.actions == []
    assert_withheld(ai, reply, claim)


def test_a_reminder_that_was_scheduled_may_be_promised(ai: Pipeline, fake: FakeOpenAI) -> None:
    claim = "Will do: I'll remind you about the Wool throw."
    fake.script(tool_call("schedule_follow_up", sku="THROW-WOOL-OAT"), text(claim))
    reply = open_chat(ai).say("Remind me about the wool throw")
    assert reply.text == claim and action_types(reply) == ["follow_up_scheduled"]
    assert [f["sku"] for f in scheduled_followups(ai)] == ["THROW-WOOL-OAT"]


def test_interest_in_an_unknown_product_the_model_says_it_noted_is_withheld(
    ai: Pipeline, fake: FakeOpenAI
) -> None:
    claim = "I've noted your interest in the silk kimono."
    fake.script(tool_call("record_interest", sku="KIMONO-SILK"), text(claim))
    reply = open_chat(ai).say("I love the silk kimono")
    assert reply.tools[0]["result"]["error"] == "unknown_product" and reply.actions == []
    assert_withheld(ai, reply, claim)


@pytest.mark.parametrize(
    "claim",
    [
        "I've cancelled your order #1002.",
        "I have updated your shipping address to 5 Elm St.",
        "I've issued a refund for the jeans.",
        "I'll process the exchange for you now.",
        "I've added the Wool throw to your cart.",
        "I've reserved a size M for you.",
    ],
)
def test_an_order_change_no_tool_can_make_is_withheld(
    ai: Pipeline, fake: FakeOpenAI, claim: str
) -> None:
    fake.script(tool_call("lookup_orders", order_number="1002"), text(claim))
    reply = open_chat(ai).say("What can you do about order 1002?")
    assert reply.actions == []
    assert_withheld(ai, reply, claim)


def test_an_order_status_that_is_cancelled_may_be_told(ai: Pipeline, fake: FakeOpenAI) -> None:
    answer = "Your order #1002 has been cancelled and I'll update you if anything changes."
    fake.script(text(answer))
    reply = open_chat(ai).say("What happened to order 1002?")
    assert reply.text == answer and "escalation" not in reply.meta


# --- both backends: a scheduler that answers without saying 'scheduled' did not schedule ------


def unclear_scheduler(*_args: Any) -> dict[str, Any]:
    return {"error": "store_unavailable", "message": "the reminder service is down"}


@pytest.fixture
def unclear(moto_clean: str) -> Iterator[Pipeline]:
    """The rules pipeline whose follow-up service answers without `scheduled`."""
    yield start_pipeline(moto_clean, {"schedule_follow_up": unclear_scheduler})
    bootstrap.reset(None)


def test_a_reminder_the_service_did_not_confirm_is_not_promised(unclear: Pipeline) -> None:
    demo_shop(unclear)
    reply = open_chat(unclear).say("Remind me about the wool throw")
    assert "couldn't set a reminder" in reply.text and "Will do" not in reply.text
    assert "follow_up_scheduled" not in action_types(reply)
    assert "follow_up_not_scheduled" in action_types(reply)


# --- rules backend: every templated reply, with every tool refusing, claims nothing undone ----


@pytest.mark.parametrize(
    "said",
    [
        "Can I use code GOLD20 please?",
        "Please apply code PLAT25",
        "Do you have a discount for me?",
        "Remind me about the wool throw",
        "I like the Wool throw",
        "Can you cancel my order #1002?",
        "I need to change my shipping address",
        "I want a refund for my jeans",
    ],
)
def test_the_rules_backend_claims_nothing_a_refusing_tool_did_not_do(
    pipeline: Pipeline, said: str
) -> None:
    demo_shop(pipeline, cart("cust-ava", 40))  # below every code's minimum
    DiscountClaims(pipeline.services.table).claim("cust-ava", "GOLD20", {"discount": "20% off"})
    opt_out_ava(pipeline)
    reply = open_chat(pipeline).say(said)
    assert unbacked_claims(reply.text, reply.actions) == []
    assert "follow_up_scheduled" not in action_types(reply) and scheduled_followups(pipeline) == []


# --- a turn retried after a failure: what its first try did is still said and recorded --------


def test_a_discount_applied_by_a_turn_that_failed_after_is_applied_on_its_retry(
    pipeline: Pipeline,
) -> None:
    from tests.reliability.faults import AwsFaults

    demo_shop(pipeline, cart("cust-ava", 100))
    queue = pipeline.env["INBOUND_QUEUE_URL"]
    pipeline.sqs().set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "0"})
    chat = open_chat(pipeline)
    faults = AwsFaults(pipeline.services)
    faults.reset(always={"dynamodb.TransactWriteItems"})  # the turn's write fails after the claim
    path = f"/chat/sessions/{chat.session_id}/messages"
    auth = {"Authorization": f"Bearer {chat.token}"}
    assert pipeline.post_json(path, {"text": "Can I use code GOLD20?"}, auth).status_code == 202
    pipeline.drain(rounds=1)
    assert DiscountClaims(pipeline.services.table).used("cust-ava", "GOLD20")
    faults.reset()
    pipeline.drain()
    conversation = pipeline.services.conversations.load(chat.session_id)
    assert conversation is not None
    [reply] = [m for m in conversation.messages if m.author.value == "ai"]
    assert "applied GOLD20" in reply.text and action_types(reply) == ["discount_applied"]
    again = chat.say("Apply code GOLD20 again")  # a later turn: it was used
    assert "already used" in again.text and action_types(again) == []
