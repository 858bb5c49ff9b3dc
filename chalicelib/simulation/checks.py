"""What a turn did (stored reply, tools, escalation, actions) checked against what it had to do."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.simulation.model import Customer, Expect, Scenario

FOLLOW_UP_ACTIONS = {"follow_up_scheduled", "follow_up_requested"}


def turn_outcome(replies: list[Any], packets: list[dict[str, Any]]) -> dict[str, Any]:
    """The facts of one turn: the replies after the customer's message and the helpdesk packets."""
    actions = [action.get("type") for reply in replies for action in reply.actions]
    reasons = [r["code"] for reply in replies for r in _escalation(reply).get("reasons", [])]
    reasons += [r["code"] for packet in packets for r in packet.get("reasons", [])]
    return {
        "reply": "\n".join(reply.text for reply in replies),
        "tools": sorted({str(t.get("name")) for reply in replies for t in reply.tools}),
        "escalated": bool(packets) or any(_escalation(reply) for reply in replies),
        "reasons": sorted(set(reasons)),
        "discount_applied": "discount_applied" in actions,
        "followup_scheduled": bool(FOLLOW_UP_ACTIONS & set(actions)),
    }


def _escalation(reply: Any) -> dict[str, Any]:
    found = reply.meta.get("escalation") or {}
    return found if isinstance(found, dict) else {}


def failures(expect: Expect, actual: dict[str, Any]) -> list[str]:
    """Every expectation the turn missed, said in words."""
    reply = str(actual.get("reply", "")).lower()
    missed = [f"reply lacks {s!r}" for s in expect.reply_contains if s.lower() not in reply]
    missed += [f"reply has {s!r}" for s in expect.reply_excludes if s.lower() in reply]
    missed += [f"tool {t} not called" for t in expect.tools if t not in actual.get("tools", [])]
    missed += [f"reason {r} missing" for r in expect.reasons if r not in actual.get("reasons", [])]
    for key in ("escalated", "discount_applied", "followup_scheduled"):
        wanted = getattr(expect, key)
        if wanted is not None and bool(actual.get(key)) != wanted:
            missed.append(f"{key} is {bool(actual.get(key))}, expected {wanted}")
    missed += [f"leaked another customer's {leak}" for leak in actual.get("leaked", [])]
    return missed


def _values(customer: Customer) -> dict[str, str]:
    """The personal data of a customer that identifies them: value -> what it is."""
    profile = customer.profile
    found = {str(profile.get(k) or ""): k for k in ("first_name", "last_name", "email", "phone")}
    found[str(profile.get("customer_id") or "")] = "customer id"
    for order in customer.orders:
        found[str(order.get("order_number", ""))] = "order number"
        found[str(order.get("order_id", ""))] = "order id"
        tracking = (order.get("shipment") or {}).get("tracking_number")
        found[str(tracking or "")] = "tracking number"
    return {value: kind for value, kind in found.items() if len(value) >= 3}


def secrets_of_others(scenario: Scenario) -> dict[str, str]:
    """What of `others` must never be in a reply (values the scenario's customer shares excluded)."""
    own = _values(scenario.customer) if scenario.customer else {}
    owned = {value.lower() for value in own}
    found: dict[str, str] = {}
    for other in scenario.others:
        found.update({v: k for v, k in _values(other).items() if v.lower() not in owned})
    return found


def leaks(reply: str, secrets: dict[str, str], said: str) -> list[str]:
    """The secrets in a reply; echoing what the customer typed themselves discloses nothing."""
    found = []
    for value, kind in secrets.items():
        pattern = re.compile(rf"(?<![\w@.+]){re.escape(value.lstrip('+'))}(?![\w@])", re.I)
        if pattern.search(reply) and not pattern.search(said):
            found.append(f"{kind} {value}")
    return found
