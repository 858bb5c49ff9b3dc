"""The rules backend's intent classifier and order-number extraction."""

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
        ("How long does shipping take to Canada?", IntentKind.SHIPPING, None),
        ("Can I return order #1001?", IntentKind.RETURNS, "1001"),
        ("I'd like a refund", IntentKind.RETURNS, None),
        ("Can I talk about sizing?", IntentKind.SIZING, None),
        ("Does the tee run small? What size should I get", IntentKind.SIZING, None),
        ("Is the linen tee in stock?", IntentKind.PRODUCT_QUESTION, None),
        ("Can you recommend a gift for my mum?", IntentKind.RECOMMENDATION, None),
        ("Do you have any discount codes?", IntentKind.DISCOUNT, None),
        ("Yes please send me a reminder", IntentKind.FOLLOW_UP_REQUEST, None),
        ("remind me tomorrow", IntentKind.FOLLOW_UP_REQUEST, None),
        ("Hi there", IntentKind.GREETING, None),
        ("Thanks so much!", IntentKind.THANKS, None),
        ("What's the meaning of life?", IntentKind.OTHER, None),
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
    assert classify_intent(text) == classify_intent("#1001")


def test_thanks_with_a_question_is_not_answered_as_small_talk() -> None:
    assert classify_intent("thanks, and when does it arrive?").kind is IntentKind.ORDER_STATUS
    assert classify_intent("Thanks! Is the shop open on Sunday?").kind is IntentKind.OTHER
    assert classify_intent("thanks so much!").kind is IntentKind.THANKS
