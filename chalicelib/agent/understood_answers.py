"""The rules backend's words for what the keyword rules never had: opening hours, and the
clarifying question when the understanding step is unsure."""

from __future__ import annotations

import re

from chalicelib.agent.base import TurnContext
from chalicelib.agent.entities import CatalogName, products
from chalicelib.agent.intent_labels import Label
from chalicelib.agent.intents import Intent
from chalicelib.config.store_config import StoreConfig
from chalicelib.domain.profiles import Order
from chalicelib.runtime.patterns import lazy

ITEM_MATCH_FROM = 0.5
# A discount is an action: the rules backend applies one only when the customer asks in words.
ASKS_FOR_DISCOUNT = lazy(
    r"\b(?:discount\w*|promo\w*|coupons?|vouchers?|codes?|percent|off|sales?|deals?|offers?|"
    r"points?|cheaper|reductions?|student|military|teachers?|members?|loyalty|black\s+friday|"
    r"money\s+back|price\s+drop)\b|%",
    re.IGNORECASE,
)

DAY_NAMES = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
    "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}  # fmt: skip
THANKS = lazy(r"\b(?:thank\w*|thanks|thx|ty|cheers|appreciate\w*)\b", re.IGNORECASE)
# How each intent reads in a clarifying question.
TOPICS = {
    Label.ORDER_STATUS: "where your order is",
    Label.DELIVERY_TIME: "when your order arrives",
    Label.RETURNS_POLICY: "returns or exchanges",
    Label.REFUND_STATUS: "a refund you're waiting for",
    Label.CANCEL_OR_CHANGE: "cancelling or changing an order",
    Label.ADDRESS_CHANGE: "changing a delivery address",
    Label.SHIPPING_OPTIONS: "shipping options and costs",
    Label.PAYMENT: "paying",
    Label.PRODUCT_QUESTION: "a product",
    Label.RECOMMENDATION: "finding something to buy",
    Label.DISCOUNT: "a discount",
    Label.INTEREST: "a product you like",
    Label.REMINDER: "a reminder",
    Label.STORE_HOURS: "our opening hours",
    Label.HUMAN_REQUEST: "talking to a person",
    Label.COMPLAINT: "a complaint",
    Label.DAMAGED_ITEM: "a damaged or wrong item",
}

# The words of the store's own policy for each policy intent, when the customer's words miss it.
TOPIC_WORDS = {
    Label.RETURNS_POLICY: "return returns refund label",
    Label.REFUND_STATUS: "refunds original payment method business days",
    Label.CANCEL_OR_CHANGE: "change cancel cancelling order",
    Label.ADDRESS_CHANGE: "change address",
    Label.SHIPPING_OPTIONS: "shipping costs standard express",
    Label.PAYMENT: "payment methods accept",
    Label.DAMAGED_ITEM: "damaged faulty replace",
}


def days_text(days: list[str]) -> str:
    """'Monday to Saturday' for consecutive days, else a list."""
    order = list(DAY_NAMES)
    indexes = [order.index(day) for day in days]
    if len(days) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return ", ".join(DAY_NAMES[day] for day in days)


def store_hours(context: TurnContext, intent: Intent, config: StoreConfig) -> str:
    """When the team works, from the store config's business hours."""
    hours = config.business_hours
    opens, closes = hours.opens.strftime("%H:%M"), hours.closes.strftime("%H:%M")
    return (
        f"Our team is available {days_text(list(hours.days))}, {opens} to {closes} "
        f"({hours.time_zone}). I'm here any time for orders, shipping, returns and products."
    )


def clarifying_question(candidates: list[Label]) -> str:
    """Ask which of the likely topics the customer means."""
    topics = [TOPICS[label] for label in candidates if label in TOPICS][:2]
    if len(topics) == 2:
        return f"Just to be sure I help with the right thing: is this about {topics[0]} or {topics[1]}?"
    if topics:
        return f"Just to be sure I help with the right thing: is this about {topics[0]}?"
    return "Could you tell me a little more about what you need? I can help with orders, shipping, returns and products."


def order_by_item(text: str, orders: list[Order]) -> str | None:
    """The newest order holding an item the message names ('has my jeans order arrived?')."""
    for order in orders:
        items = [
            CatalogName(str(i.get("sku") or ""), str(i.get("name") or "")) for i in order.items
        ]
        if any(found.confidence >= ITEM_MATCH_FROM for found in products(text, items)):
            return order.order_number
    return None
