"""The offline rules backend: deterministic answers from the profile, no LLM."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.agent.base import TurnContext, TurnResult

ORDER_WORDS = re.compile(r"\b(order|package|parcel|shipment|tracking|deliver\w*|arriv\w*)\b", re.I)
ORDER_NUMBER = re.compile(r"(?:#|\border\s*(?:number|no\.?)?\s*#?)\s*(\d{3,12})\b", re.I)
STATUS_WORDS = {
    "placed": "has been placed and is being prepared",
    "processing": "is being prepared",
    "shipped": "has shipped",
    "out_for_delivery": "is out for delivery",
    "delivered": "was delivered",
    "cancelled": "was cancelled",
    "returned": "was returned",
}


class RulesAgent:
    """Answers order status from the customer's own orders; a polite fallback otherwise."""

    def respond(self, context: TurnContext) -> TurnResult:
        """Answer the customer's new messages."""
        if ORDER_WORDS.search(context.text) or ORDER_NUMBER.search(context.text):
            return self._order_status(context)
        return TurnResult(
            reply="Thanks for your message! I can help with order status, shipping, returns and "
            "product questions. What can I do for you?",
            fallback=True,
            intent="other",
        )

    def _order_status(self, context: TurnContext) -> TurnResult:
        match = ORDER_NUMBER.search(context.text)
        found = context.tools.lookup_orders(order_number=match.group(1) if match else None)
        result = TurnResult(reply="", tools=context.tools.calls, intent="order_status")
        if "error" in found:
            result.reply = (
                "I can look up orders once I know it's you. Please sign in, or write from the "
                "email address or phone number on your account."
            )
        elif not found["orders"]:
            result.reply = found.get("message") or "I couldn't find any orders on your account."
        else:
            result.reply = " ".join(describe_order(order) for order in found["orders"][:1])
        return result


def describe_order(order: dict[str, Any]) -> str:
    """One order's status in a sentence or two."""
    status = STATUS_WORDS.get(order["status"], order["status"])
    text = f"Your order #{order['order_number']} {status}."
    shipment = order.get("shipment") or {}
    if shipment.get("carrier"):
        text += f" It's with {shipment['carrier']}"
        if shipment.get("tracking_number"):
            text += f", tracking number {shipment['tracking_number']}"
        text += "."
    if shipment.get("estimated_delivery") and order["status"] not in {"delivered", "cancelled"}:
        text += f" Estimated delivery: {shipment['estimated_delivery']}."
    return text
