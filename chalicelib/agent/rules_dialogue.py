"""The rules backend's answers that depend on the conversation: offers accepted, interest, 'it'."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.agent.base import TurnContext
from chalicelib.agent.dialogue import DialogueState, accepts, declines, refers_back
from chalicelib.agent.intents import Intent, IntentKind
from chalicelib.agent.product_facts import SIZE_ASKED, be
from chalicelib.agent.rules_answers import SIGN_IN, Answer, apply_code, remind
from chalicelib.runtime.patterns import lazy

FLAGS = re.IGNORECASE
BARE_REPLY_WORDS = 2  # "yes", "ok thanks", "no thanks": nothing asked but a reply to nothing
COLOURS = (
    "black|white|grey|gray|blue|navy|green|olive|red|pink|yellow|orange|purple|brown|beige|cream|"
    "sand|oatmeal|indigo|sage"
)
COLOUR = lazy(rf"\bin\s+({COLOURS})\b", FLAGS)
INTEREST = lazy(
    r"\bi\s+(?:really\s+)?(?:like|love|want(?!\s+to\b)|fancy|adore)\b|\bi'?\s*a?m\s+(?:after|interested\s+in|"
    r"looking\s+for|into)\b|\binterested\s+in\b|\bdo\s+you\s+(?:have|sell|do)\b.*\bin\s+\w+",
    FLAGS,
)
CUE_WORDS = lazy(
    r"\b(?:i|i'?m|am|really|like|love|want|fancy|adore|after|interested|in|looking|for|into|do|"
    r"you|have|sell|the|a|an|some|one|it|that|this|please|any|so|much|colou?r|too)\b",
    FLAGS,
)


def in_context(context: TurnContext, state: DialogueState) -> Answer | None:
    """An answer that follows from what came before, or None to answer the message on its own."""
    if state.offer and accepts(context.text):
        return accept(context, state.offer)
    if state.offer and declines(context.text):
        return Answer("No problem. Anything else I can help with?")
    bare = len(context.text.split()) <= BARE_REPLY_WORDS
    if not state.offer and bare and (accepts(context.text) or declines(context.text)):
        # "yes" or "ok" with nothing offered: ask, rather than search the knowledge base for "yes".
        return Answer("Happy to help! What would you like me to do?")
    return None


def shows_interest(text: str) -> bool:
    """'I like the Wool throw', 'I'm after a warm jacket', 'do you have it in blue?'."""
    return bool(INTEREST.search(text))


def accept(context: TurnContext, offer: dict[str, Any]) -> Answer:
    """Do what the last reply offered: a reminder about a product, or a person."""
    if offer.get("kind") == "person":
        question = str(offer.get("question") or context.text)
        summary = f"No store article answers the customer's question: {question}"
        context.tools.escalate(["low_confidence"], summary, "Answer the customer's question.")
        return Answer("")
    if offer.get("kind") == "reminder" and offer.get("sku"):
        if not context.verified:
            return Answer(SIGN_IN)
        name = str(offer.get("name") or offer["sku"])
        return remind(context, str(offer["sku"]), name, f"Accepted a reminder: {name}")
    if offer.get("kind") == "discount" and offer.get("code"):
        return apply_code(context, str(offer["code"]))
    return Answer("Sorry, I've lost track of what I offered. What would you like me to do?", True)


def refer_back(context: TurnContext, intent: Intent, state: DialogueState) -> Intent:
    """'And when will it arrive?': the order talked about before, when the message names none."""
    asks = (
        intent.kind in (IntentKind.ORDER_STATUS, IntentKind.DELIVERY_TIME)
        and not intent.order_number
    )
    if asks and state.order_number and refers_back(context.text):
        return Intent(kind=intent.kind, order_number=state.order_number)
    return intent


def interest(context: TurnContext, state: DialogueState) -> Answer | None:
    """'I like the Wool throw', 'do you have it in blue?': the product, with the interest recorded."""
    colour = COLOUR.search(context.text)
    words = " ".join(CUE_WORDS.sub(" ", COLOUR.sub(" ", context.text)).split())
    product = context.tools.find_product(words) if words else None
    if product is None and state.product and refers_back(context.text):
        product = context.tools.find_product(state.product["name"])
    if product is None:
        return None
    if colour:
        return _in_colour(context, product, colour.group(1).lower())
    if SIZE_ASKED.search(context.text):  # "do you have the wrap dress in size 16?"
        return _noted(context, product, "I can't see which sizes are in stock, but here it is: ")
    return _noted(context, product, "")


def _in_colour(context: TurnContext, product: dict[str, Any], colour: str) -> Answer:
    """The product in the colour asked, when the catalog has it; else say which colour it comes in."""
    base = product["name"].split(" (")[0]
    variant = context.tools.find_product(f"{base} {colour}")
    if variant and colour in variant["name"].lower():
        return _noted(context, variant, "")
    said = f"Sorry, I don't see the {base} in {colour}: we have it as {product['name']}. "
    return _noted(context, product, said)


def _noted(context: TurnContext, product: dict[str, Any], said: str) -> Answer:
    """Describe the product, record the interest (saying so only when it was recorded), offer a reminder."""
    line = f"{product['name']} ({product['price']:g} {product['currency']})"
    line += f" {product['url']}" if product.get("url") else ""
    if not context.verified:
        return Answer(f"{said}{line}. {SIGN_IN}" if said else f"The {line}.")
    recorded = context.tools.record_interest(product["sku"], note=context.text[:200])
    noted = " I've noted your interest." if recorded.get("recorded") else ""
    offer = {"kind": "reminder", "sku": product["sku"], "name": product["name"]}
    if product.get("in_stock") is False:  # never shown as if it could be bought today
        subject = "they are" if be(str(product["name"])) == "are" else "it is"
        ask = f" Want me to tell you when {subject} back?"
        name = str(product["name"])
        text = f"{said}The {name} {be(name)} out of stock right now: {line}.{noted}{ask}"
        return Answer(text, offer=offer)
    ask = f" Want me to remind you about the {product['name']} later?"
    return Answer(f"{said}The {line}.{noted}{ask}", offer=offer)
