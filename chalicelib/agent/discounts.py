"""The discount policy as the agent must follow it: only the store's codes, for this tier and cart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chalicelib.config.store_sections import DiscountCode, DiscountPolicy

Outcome = Literal["apply", "refuse", "escalate"]


@dataclass(frozen=True)
class DiscountDecision:
    """What to do with a requested code, and why (told to the model or the customer)."""

    outcome: Outcome
    reason: str
    code: DiscountCode | None = None


def decide_discount(
    policy: DiscountPolicy, tier: str | None, cart_total: float, code: str, with_points: bool
) -> DiscountDecision:
    """Whether the policy lets the AI apply `code` for this customer (the once-rule comes after)."""
    wanted = code.strip().upper()
    if with_points:
        if policy.stacking_with_points == "escalate":
            return DiscountDecision(
                "escalate", "combining a code with loyalty points needs a person"
            )
        return DiscountDecision("refuse", "codes cannot be combined with loyalty points")
    allowed = {c.code.upper(): c for c in policy.codes_for(tier)}
    found = allowed.get(wanted)
    if found is None:
        return DiscountDecision("refuse", _not_allowed(policy, wanted))
    if found.percent is not None and found.percent >= 100:
        return DiscountDecision("refuse", "a free order is never applied automatically")
    if cart_total < found.min_cart_total:
        minimum = f"{found.min_cart_total:g}"
        return DiscountDecision("refuse", f"{wanted} needs a cart of at least {minimum}", found)
    return DiscountDecision("apply", "allowed by the store's policy", found)


def _not_allowed(policy: DiscountPolicy, code: str) -> str:
    """Why a code is refused: another tier's, or not a code of this store at all."""
    everywhere = {c.code.upper() for codes in policy.by_loyalty_tier.values() for c in codes}
    if code in everywhere:
        return f"{code} is not available for this customer's membership tier"
    return "that is not a code the store offers; only the store's own codes can be applied"


def eligible_codes(policy: DiscountPolicy, tier: str | None, cart_total: float) -> list[str]:
    """The codes this customer's tier and cart qualify for, best first."""
    codes = [c for c in policy.codes_for(tier) if cart_total >= c.min_cart_total]
    codes = [c for c in codes if (c.percent or 0) < 100]
    return [c.code for c in sorted(codes, key=lambda c: -(c.percent or 0) - (c.amount or 0) / 100)]


def describe(code: DiscountCode) -> str:
    """`20% off` or `8 off`."""
    return f"{code.percent:g}% off" if code.percent is not None else f"{code.amount:g} off"
