"""Dialogue state from the conversation's recent messages: open offers, the order and product in talk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chalicelib.agent.base import TurnContext
from chalicelib.domain.conversations import StoredMessage
from chalicelib.domain.messages import Author
from chalicelib.runtime.patterns import lazy

FLAGS = re.IGNORECASE
ACCEPT = lazy(
    r"^\W*(?:yes|yeah|yea|yep|yup|ya|sure|ok|okay|k|please|go\s+ahead|do\s+it|sounds\s+good|"
    r"that\s+would\s+be\s+(?:great|nice|good|lovely)|absolutely|definitely|of\s+course|"
    r"why\s+not|great|perfect|y)\b",
    FLAGS,
)
DECLINE = lazy(r"^\W*(?:no|nope|nah|not\s+now|no\s+thanks?|maybe\s+later|don'?t)\b", FLAGS)
MOST_ACCEPT_WORDS = 8  # "yes please, remind me next week": longer is a new request
REFERS_BACK = lazy(
    r"^\W*(?:and|also|so|what\s+about)\b|\b(?:it|its|it's|that|this|they|them|that\s+one)\b", FLAGS
)
ORDER_MENTION = lazy(r"#\s?(\d{3,})\b|\border\s*(?:number|no\.?)?\s*#?\s*(\d{3,})\b", FLAGS)
AI_ORDER_MENTION = lazy(r"\border\s+#(\d{3,})\b", FLAGS)
RECENT = 6  # messages looked back at for the order or product in talk
# The running summary on META: bounded whatever the conversation's length.
SUMMARY_TEXTS = 3  # questions and answers kept
SUMMARY_ORDERS = 5  # order numbers kept, the latest last
SUMMARY_SEEN = 12  # ids of the messages folded last, so none is folded twice
SUMMARY_CHARS = 160  # of each question and answer kept


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
    summary = context.conversation.summary  # what fell out of the window said
    return DialogueState(
        offer=offer if isinstance(offer, dict) else None,
        order_number=_order_in_talk(history) or summary.get("order_number"),
        product=_product_in_talk(history) or summary.get("product"),
    )


def fold_summary(summary: dict[str, Any], messages: list[StoredMessage]) -> dict[str, Any]:
    """The running summary once `messages` (oldest first) are in it: each message folded once."""
    seen = list(summary.get("seen", []))
    new = [m for m in messages if m.message_id not in seen]
    if not new:
        return summary
    folded = {**summary, "messages": int(summary.get("messages", 0)) + len(new)}
    folded["seen"] = (seen + [m.message_id for m in new])[-SUMMARY_SEEN:]
    folded["orders"] = _latest(summary.get("orders", []), _orders_named(new), SUMMARY_ORDERS)
    if order := _order_in_talk(new):
        folded["order_number"] = order
    if product := _product_in_talk(new):
        folded["product"] = product
    for key, author in (("asked", Author.CUSTOMER), ("answered", Author.AI)):
        said = [_short(m.text) for m in new if m.author is author and m.text.strip()]
        folded[key] = _latest(summary.get(key, []), said, SUMMARY_TEXTS)
    replies = [m for m in new if m.author is Author.AI]
    if replies:  # an offer stays open until the next reply
        folded["offer"] = replies[-1].meta.get("offer")
    return folded


def earlier_note(context: TurnContext) -> str:
    """What the messages before the window said, for a model's prompt ('' when it holds all)."""
    conversation = context.conversation
    summary = conversation.summary
    if not conversation.earlier or not summary:
        return ""
    said = [f"the customer asked: {' | '.join(summary['asked'])}"] if summary.get("asked") else []
    if summary.get("orders"):
        said.append("orders named: " + ", ".join(f"#{n}" for n in summary["orders"]))
    if isinstance(summary.get("product"), dict):
        said.append(f"product talked about: {summary['product'].get('name')}")
    if not said:
        return ""
    return "Earlier in this conversation (a summary; the recent messages follow): " + "; ".join(
        said
    )


def _orders_named(messages: list[StoredMessage]) -> list[str]:
    """Every order number the customer named or one reply described, in order."""
    found: list[str] = []
    for message in messages:
        if message.author is Author.CUSTOMER:
            found += [a or b for a, b in ORDER_MENTION.findall(message.text)]
        elif message.author is Author.AI:
            found += AI_ORDER_MENTION.findall(message.text)
    return found


def _latest(kept: list[str], added: list[str], most: int) -> list[str]:
    """`kept` then `added`, each once (its latest place), the last `most`."""
    ordered = list(dict.fromkeys(reversed([*kept, *added])))
    return list(reversed(ordered[:most]))


def _short(text: str) -> str:
    """A message's text cut to SUMMARY_CHARS."""
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


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
