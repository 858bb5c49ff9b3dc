"""The rules backend's intent (the trained classifier through `understand`) and order numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.agent.intents import IntentKind, classify_intent


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("Where is my order #1001?", IntentKind.ORDER_STATUS, "1001"),
        ("order 1002", IntentKind.ORDER_STATUS, "1002"),
        ("Has my parcel shipped yet?", IntentKind.ORDER_STATUS, None),
        ("How long does shipping take to Canada?", IntentKind.SHIPPING_OPTIONS, None),
        ("Can I return order #1001?", IntentKind.RETURNS_POLICY, "1001"),
        ("I'd like a refund", IntentKind.RETURNS_POLICY, None),
        ("What size should I get in the jeans?", IntentKind.PRODUCT_QUESTION, None),
        ("Does the tee run small? What size should I get", IntentKind.PRODUCT_QUESTION, None),
        ("Is the linen tee in stock?", IntentKind.PRODUCT_QUESTION, None),
        ("Can you recommend a gift for my mum?", IntentKind.RECOMMENDATION, None),
        ("Do you have any discount codes?", IntentKind.DISCOUNT, None),
        ("Yes please send me a reminder", IntentKind.REMINDER, None),
        ("remind me tomorrow", IntentKind.REMINDER, None),
        ("Hi there", IntentKind.SMALL_TALK, None),
        ("Thanks so much!", IntentKind.SMALL_TALK, None),
        ("What's the meaning of life?", IntentKind.OUT_OF_SCOPE, None),
    ],
)
def test_classify_intent(text: str, kind: IntentKind, number: str | None) -> None:
    intent = classify_intent(text)
    assert (intent.kind, intent.order_number) == (kind, number)


def test_tracking_numbers_are_not_order_numbers() -> None:
    assert classify_intent("My tracking is 1Z999AA10123456784").order_number is None


@given(st.text(max_size=300))
def test_classify_intent_never_raises(text: str) -> None:
    assert classify_intent(text).kind in IntentKind


@pytest.mark.parametrize(
    "text", ["Hello, could you tell me where my order #1001 is? Thanks, Ava", "Hi! #1001"]
)
def test_an_order_number_with_small_talk_asks_about_the_order(text: str) -> None:
    intent = classify_intent(text)
    assert (intent.kind, intent.order_number) == (IntentKind.ORDER_STATUS, "1001")


def test_thanks_with_a_question_is_not_answered_as_small_talk() -> None:
    assert classify_intent("thanks, and when does it arrive?").kind is IntentKind.DELIVERY_TIME
    assert classify_intent("Thanks! Is the shop open on Sunday?").kind is IntentKind.STORE_HOURS
    assert classify_intent("thanks so much!").kind is IntentKind.SMALL_TALK
