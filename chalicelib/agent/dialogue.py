"""Dialogue state from the conversation's recent messages: open offers, the order and product in talk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chalicelib.agent.base import TurnContext
from chalicelib.domain.conversations import StoredMessage
from chalicelib.domain.messages import Author

FLAGS = re.IGNORECASE
ACCEPT = re.compile(
    r"^\W*(?:yes|yeah|yea|yep|yup|ya|sure|ok|okay|k|please|go\s+ahead|do\s+it|sounds\s+good|"
    r"that\s+would\s+be\s+(?:great|nice|good|lovely)|absolutely|definitely|of\s+course|"
    r"why\s+not|great|perfect|y)\b",
    FLAGS,
)
DECLINE = re.compile(r"^\W*(?:no|nope|nah|not\s+now|no\s+thanks?|maybe\s+later|don'?t)\b", FLAGS)
MOST_ACCEPT_WORDS = 8  # "yes please, remind me next week": longer is a new request
REFERS_BACK = re.compile(
    r"^\W*(?:and|also|so|what\s+about)\b|\b(?:it|its|it's|that|this|they|them|that\s+one)\b", FLAGS
)
ORDER_MENTION = re.compile(r"#\s?(\d{3,})\b|\border\s*(?:number|no\.?)?\s*#?\s*(\d{3,})\b", FLAGS)
AI_ORDER_MENTION = re.compile(r"\border\s+#(\d{3,})\b", FLAGS)
RECENT = 6  # messages looked back at for the order or product in talk


@dataclass
class DialogueState:
    """What the conversation so far leaves open: an offer, and the order and product talked about."""

    offer: dict[str, Any] | None = None
    order_number: str | None = None
    product: dict[str, Any] | None = None


def read_state(context: TurnContext) -> DialogueState:
    """The state the recent messages before this turn leave."""
    history = context.history(RECENT)
    last = history[-1] if history else None
    offer = last.meta.get("offer") if last and last.author is Author.AI else None
    return DialogueState(
        offer=offer if isinstance(offer, dict) else None,
        order_number=_order_in_talk(history),
        product=_product_in_talk(history),
    )


def accepts(text: str) -> bool:
    """Whether a short message says yes to what was offered ("yes please", "sure, remind me")."""
    return bool(ACCEPT.search(text)) and len(text.split()) <= MOST_ACCEPT_WORDS


def declines(text: str) -> bool:
    """Whether a short message says no to what was offered ("no thanks", "not now")."""
    return bool(DECLINE.search(text)) and len(text.split()) <= MOST_ACCEPT_WORDS


def refers_back(text: str) -> bool:
    """Whether a message points at something said before ("and when will it arrive?")."""
    return bool(REFERS_BACK.search(text))


def _order_in_talk(history: list[StoredMessage]) -> str | None:
    """The order number named last: by the customer, or the one order an answer described."""
    for message in reversed(history):
        if message.author is Author.CUSTOMER and (match := ORDER_MENTION.search(message.text)):
            return match.group(1) or match.group(2)
        if message.author is Author.AI and message.tools:
            described = set(AI_ORDER_MENTION.findall(message.text))
            if len(described) == 1:  # the one order the reply talked about
                return described.pop()
    return None


def _product_in_talk(history: list[StoredMessage]) -> dict[str, Any] | None:
    """The product the AI last offered, recorded interest in or recommended first."""
    for message in reversed(history):
        offer = message.meta.get("offer") if message.author is Author.AI else None
        if isinstance(offer, dict) and offer.get("sku"):
            return {"sku": offer["sku"], "name": offer.get("name", offer["sku"])}
        for call in reversed(message.tools or []):
            found = _product_of(call)
            if found:
                return found
    return None


def _product_of(call: dict[str, Any]) -> dict[str, Any] | None:
    """The product a recorded tool call was about, if any."""
    result = call.get("result") or {}
    if call["name"] in {"record_interest", "schedule_follow_up"} and result.get("sku"):
        return {"sku": result["sku"], "name": result.get("product") or result["sku"]}
    products = result.get("products") if call["name"] == "recommend_products" else None
    return {"sku": products[0]["sku"], "name": products[0]["name"]} if products else None
