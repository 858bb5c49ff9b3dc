"""A fake model that uses tools the way a model would: only when its context lacks the fact.

A default responder for `FakeOpenAI` (`FakeOpenAI(default=tool_using_model)`), deterministic:
- after a tool result, it answers from that result (an order's status, carrier, tracking and
  delivery estimate; an article's passage);
- an order question is answered from the context when a system message lists the order
  (`#1001 shipped ...`), else it calls `lookup_orders` if that tool is offered;
- a policy question calls `search_knowledge` if offered;
- anything else gets a short text answer.
The benchmark (`bench.prompt_tokens`) and the agent tests drive the real client against it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from dev.fakes.openai_script import Scripted, text, tool_call

ORDER_WORDS = re.compile(r"\b(order|package|parcel|deliver\w*|arriv\w*|track\w*|ship(ped)?)\b")
POLICY_WORDS = re.compile(r"\b(return\w*|refund\w*|exchang\w*|polic\w*|siz\w*|care)\b")
ORDER_LINE = re.compile(r"#\d+ (placed|processing|shipped|out_for_delivery|delivered|cancelled)")
SMALL_TALK_ANSWER = "You're welcome! Anything else I can help with?"
NOTHING_FOUND = "I couldn't find that, sorry."


def tool_using_model(body: dict[str, Any]) -> Scripted:
    """The reply to one Chat Completions request."""
    messages = body.get("messages") or []
    offered = {tool["function"]["name"] for tool in body.get("tools") or []}
    last = messages[-1] if messages else {}
    if last.get("role") == "tool":
        return text(_from_tool(str(last.get("content") or "")))
    asked = str(last.get("content") or "").lower()
    if ORDER_WORDS.search(asked):
        return _order_answer(messages, offered)
    if POLICY_WORDS.search(asked) and "search_knowledge" in offered:
        return tool_call("search_knowledge", query=asked[:200])
    return text(SMALL_TALK_ANSWER)


def _order_answer(messages: list[dict[str, Any]], offered: set[str]) -> Scripted:
    """From the context's order lines when it has them, else by looking the orders up."""
    context = "\n".join(str(m.get("content") or "") for m in messages if m["role"] == "system")
    lines = [line.strip("- ") for line in context.splitlines() if ORDER_LINE.search(line)]
    if lines:
        return text("Your order " + " ".join(lines[:2]))
    if "lookup_orders" in offered:
        return tool_call("lookup_orders")
    return text(NOTHING_FOUND)


def _from_tool(content: str) -> str:
    """An answer that states what the tool returned."""
    try:
        result = json.loads(content)
    except ValueError:
        return NOTHING_FOUND
    if not isinstance(result, dict):
        return NOTHING_FOUND
    if result.get("orders"):
        return " ".join(_order_words(order) for order in result["orders"][:2])
    if result.get("articles"):
        return str(result["articles"][0].get("snippet") or NOTHING_FOUND)[:300]
    return str(result.get("message") or NOTHING_FOUND)[:300]


def _order_words(order: dict[str, Any]) -> str:
    """One order as the model would say it."""
    shipment = order.get("shipment") or {}
    words = f"Order #{order.get('order_number')} is {order.get('status')}"
    if shipment.get("carrier"):
        words += f" with {shipment['carrier']}, tracking {shipment.get('tracking_number')}"
    if shipment.get("estimated_delivery"):
        words += f", arriving {shipment['estimated_delivery']}"
    return words + "."
