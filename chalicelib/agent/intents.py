"""What a customer's message is about, for the rules backend: the understanding step's intent."""

from __future__ import annotations

from pydantic import BaseModel

from chalicelib.agent.entities import order_numbers
from chalicelib.agent.intent_labels import Label
from chalicelib.agent.understanding import Understanding, understand

IntentKind = Label  # the rules backend answers each of the classifier's intents


class Intent(BaseModel):
    """A message's intent, with the order number it names, if any, and the model's confidence."""

    kind: IntentKind
    order_number: str | None = None
    confidence: float = 1.0


def order_number(text: str) -> str | None:
    """The order number a message names ('#1001', 'order 1001'), if any."""
    found = order_numbers(text)
    return found[0].value if found else None


def from_understanding(understood: Understanding) -> Intent:
    """The rules backend's view of an understanding."""
    return Intent(
        kind=understood.intent,
        order_number=understood.order_number,
        confidence=understood.confidence,
    )


def classify_intent(text: str) -> Intent:
    """The intent of one message (the trained classifier, through `understand`)."""
    return from_understanding(understand(text))
