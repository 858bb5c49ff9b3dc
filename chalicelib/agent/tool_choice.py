"""Which tools a turn may need: the understanding step's intents choose them; unsure, all of them.

Every tool schema costs prompt tokens in every round (about 780 for all seven), so a turn the
understanding step is sure of gets only its intents' tools, and `escalate` always. The tools
themselves do not change: each still acts only for the conversation's own customer.
"""

from __future__ import annotations

from chalicelib.agent.intent_labels import Label
from chalicelib.agent.tools import TOOL_NAMES
from chalicelib.agent.understanding import Understanding

# Below this confidence the intent is not sure enough to leave any tool out.
CHOOSE_FROM = 0.5
# A runner-up intent at least this likely brings its tools too ("returns, and anything in linen?").
ALSO_FROM = 0.1
ALWAYS = ("escalate",)
ORDERS = ("lookup_orders",)
KNOWLEDGE = ("search_knowledge",)
PRODUCTS = ("recommend_products", "record_interest", "schedule_follow_up")
INTENT_TOOLS: dict[Label, tuple[str, ...]] = {
    Label.ORDER_STATUS: ORDERS,
    Label.DELIVERY_TIME: ORDERS,
    Label.REFUND_STATUS: ORDERS + KNOWLEDGE,
    Label.CANCEL_OR_CHANGE: ORDERS + KNOWLEDGE,
    Label.ADDRESS_CHANGE: ORDERS + KNOWLEDGE,
    Label.RETURNS_POLICY: KNOWLEDGE,
    Label.SHIPPING_OPTIONS: KNOWLEDGE,
    Label.PAYMENT: KNOWLEDGE,
    Label.STORE_HOURS: KNOWLEDGE,
    Label.OUT_OF_SCOPE: KNOWLEDGE,
    Label.PRODUCT_QUESTION: KNOWLEDGE + PRODUCTS,
    Label.RECOMMENDATION: PRODUCTS,
    Label.INTEREST: PRODUCTS,
    Label.REMINDER: PRODUCTS,
    Label.DISCOUNT: ("apply_discount",),
    Label.SMALL_TALK: (),
}


def tools_for(understood: Understanding) -> tuple[str, ...]:
    """The names of the tools to offer, in the contract's order (all of them when unsure)."""
    if understood.confidence < CHOOSE_FROM:
        return TOOL_NAMES
    likely = [understood.intent, *(label for label, p in understood.alternatives if p >= ALSO_FROM)]
    wanted = set(ALWAYS)
    for label in likely:
        wanted.update(INTENT_TOOLS.get(label, TOOL_NAMES))  # an unmapped intent: everything
    if understood.order_number:
        wanted.update(ORDERS)
    if understood.entity("product"):
        wanted.update(PRODUCTS)
    return tuple(name for name in TOOL_NAMES if name in wanted)
