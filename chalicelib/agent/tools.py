"""The agent's tools, bound to the conversation's own customer: the model never picks who."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

from chalicelib.agent.base import Escalation, Reason, ToolCall
from chalicelib.agent.discounts import decide_discount, describe
from chalicelib.agent.orders import find_orders
from chalicelib.agent.product_facts import Fact
from chalicelib.agent.product_facts import answer as product_answer
from chalicelib.agent.product_facts import summary as product_summary
from chalicelib.agent.recommend import best_match, product_view, recommend, signals_of
from chalicelib.config.store_sections import DiscountCode, ReasonCode
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.runtime.observability import logger

if TYPE_CHECKING:
    from chalicelib.agent.knowledge import KnowledgeHit, KnowledgeIndex
    from chalicelib.config.store_config import StoreConfig
    from chalicelib.store.catalog import CatalogRepository
    from chalicelib.store.customers import CustomerRepository
    from chalicelib.store.discounts import DiscountClaims
    from chalicelib.store.knowledge import KnowledgeRepository

FollowUpScheduler = Callable[[str, str, str, str], dict[str, Any]]
ChannelName = Literal["sms", "whatsapp", "email", "webchat"]
UNVERIFIED = {
    "error": "identity_not_verified",
    "message": "The customer's identity is not verified on this channel: no personal data.",
}
T = TypeVar("T")
NO_ANSWER = {
    "articles": [],
    "message": "No article answers this question: say you don't know, and offer a person.",
}
REASON_CODES = set(ReasonCode.__args__)  # type: ignore[attr-defined]


# (customer_id, sku, channel): the store's "interest captured and not bought" follow-up rule.
InterestListener = Callable[[str, str, str], object]


@dataclass
class ToolDeps:
    """What the tools read and write; absent parts make their tools answer 'unavailable'."""

    customers: CustomerRepository | None = None
    catalog: CatalogRepository | None = None
    knowledge: KnowledgeRepository | None = None
    discounts: DiscountClaims | None = None
    store: StoreConfig | None = None
    schedule_follow_up: FollowUpScheduler | None = None
    on_interest: InterestListener | None = None
    channel: str = "webchat"
    turn_id: str = ""  # the message this turn answers: its retry finds what it already did


def _unavailable(what: str) -> dict[str, Any]:
    return {"error": "unavailable", "message": f"{what} is not available right now."}


class ToolBox:
    """Tools acting for one customer; every call, source, action and escalation is recorded."""

    def __init__(
        self, customer: CustomerBundle, verified: bool, deps: ToolDeps | None = None
    ) -> None:
        self.customer = customer
        self.verified = verified
        self.deps = deps or ToolDeps()
        self.calls: list[ToolCall] = []
        self.sources: list[str] = []
        self.actions: list[dict[str, Any]] = []
        self.escalation: Escalation | None = None

    def record(self, name: str, arguments: dict[str, Any], result: T) -> T:
        """Remember a call and return its result."""
        self.calls.append(ToolCall(name, arguments, result))
        return result

    def lookup_orders(self, order_number: str | None = None, limit: int = 3) -> dict[str, Any]:
        """This customer's orders, by order number or most recent first: status, items, carrier, tracking, estimated delivery."""
        arguments = {"order_number": order_number, "limit": limit}
        if not self.verified:
            return self.record("lookup_orders", arguments, UNVERIFIED)
        return self.record(
            "lookup_orders", arguments, find_orders(self.customer, order_number, limit)
        )

    def search_knowledge(self, query: str, limit: int = 3) -> dict[str, Any]:
        """The store's policies and FAQ (returns, shipping, sizing, care, payment, loyalty) for a question: the passage that answers it, or none."""
        for call in self.calls:  # the same question looked up again this turn: the same answer
            if call.name == "search_knowledge" and call.arguments == {"query": query}:
                return dict(call.result)
        return self._knowledge({"query": query}, lambda index: index.answer(query), products=True)

    def knowledge_on_topic(self, query: str, topic: str, intent: str) -> dict[str, Any]:
        """The passage of the store's article about `topic` (for the rules backend, when the
        understanding step is sure which policy the customer asks about), unless the question
        asks something else (words customers asking about `intent` do not use)."""
        from chalicelib.agent.intent_vocabulary import explains

        arguments = {"query": query, "topic": topic}
        return self._knowledge(
            arguments, lambda index: index.on_topic(query, topic, lambda w: explains(intent, w))
        )

    def _knowledge(
        self,
        arguments: dict[str, Any],
        find: Callable[[KnowledgeIndex], KnowledgeHit | None],
        products: bool = False,
    ) -> dict[str, Any]:
        """One knowledge look-up, recorded as `search_knowledge` with the article it cites."""
        from chalicelib.agent.knowledge import knowledge_index

        if self.deps.knowledge is None:
            return self.record("search_knowledge", arguments, _unavailable("Knowledge"))
        articles = {a.id: a for a in self.deps.knowledge.all_latest()}
        catalog = self.deps.catalog.all() if products and self.deps.catalog else []
        names = frozenset(str(product.get("name", "")) for product in catalog)
        hit = find(knowledge_index(tuple(articles.values()), names))
        if hit is None:
            return self.record("search_knowledge", arguments, NO_ANSWER)
        source = articles[hit.article_id].source
        self.sources += [source] if source not in self.sources else []
        found = [hit.model_dump(exclude={"score"})]
        return self.record("search_knowledge", arguments, {"articles": found})

    def recommend_products(self, query: str = "", limit: int = 3) -> dict[str, Any]:
        """Products from the catalog for this customer: in stock, related to the query, their purchases, views and cart, not already bought."""
        arguments = {"query": query, "limit": limit}
        if self.deps.catalog is None:
            return self.record("recommend_products", arguments, _unavailable("The catalog"))
        signals = signals_of(self.customer if self.verified else None)
        products = recommend(self.deps.catalog.all(), signals, query, limit)
        return self.record("recommend_products", arguments, {"products": products})

    def apply_discount(self, code: str, with_loyalty_points: bool = False) -> dict[str, Any]:
        """Apply one of the store's discount codes for this customer, if their tier and cart qualify (once per code)."""
        arguments = {"code": code, "with_loyalty_points": with_loyalty_points}
        if not self.verified:
            return self.record("apply_discount", arguments, UNVERIFIED)
        if self.deps.store is None or self.deps.discounts is None:
            return self.record("apply_discount", arguments, _unavailable("Discounts"))
        tier = self.customer.profile.get("loyalty_tier")
        total = float((self.customer.cart or {}).get("total") or 0)
        decision = decide_discount(
            self.deps.store.discounts, tier, total, code, with_loyalty_points
        )
        if decision.outcome == "escalate":
            self.escalate(["discount_judgment"], f"Customer asks to combine {code} with points")
            result = {"error": "needs_a_person", "message": decision.reason}
        elif decision.outcome == "refuse" or decision.code is None:
            result = {"error": "not_allowed", "message": decision.reason}
        else:
            result = self._claim(decision.code)
        return self.record("apply_discount", arguments, result)

    def _claim(self, code: DiscountCode) -> dict[str, Any]:
        """Apply an allowed code, once per customer when the policy says so (conditional write)."""
        details = {"code": code.code, "discount": describe(code)}
        claims = self.deps.discounts
        customer_id, turn = self.customer.customer_id, self.deps.turn_id
        if claims and code.once_per_customer:
            claimed = claims.claim(customer_id, code.code, {**details, "turn": turn})
            # A retry of the turn that claimed it (it failed after) applied it: not 'used'.
            if not claimed and not (turn and claims.turn_of(customer_id, code.code) == turn):
                return {"error": "already_used", "message": f"{code.code} was already used"}
        self.actions.append({"type": "discount_applied", **details})
        return {"applied": True, **details}

    def record_interest(self, sku: str, note: str = "") -> dict[str, Any]:
        """Remember on the customer's profile that they are interested in a product (by SKU)."""
        arguments = {"sku": sku, "note": note}
        product = self._product(sku)
        if not self.verified or self.deps.customers is None:
            return self.record("record_interest", arguments, UNVERIFIED)
        if product is None:
            return self.record("record_interest", arguments, _no_product(sku))
        data = {"sku": product["sku"], "name": product["name"], "note": note[:200]}
        event_id = f"interest-{uuid.uuid4().hex[:12]}"
        self.deps.customers.add_event(self.customer.customer_id, event_id, "interest", data)
        self.actions.append({"type": "interest_recorded", "sku": product["sku"]})
        self._interest_rule(product["sku"])
        return self.record("record_interest", arguments, {"recorded": True, "sku": product["sku"]})

    def _interest_rule(self, sku: str) -> None:
        """The store's interest follow-up rule: its failure never unsays the recorded interest."""
        if self.deps.on_interest is None:
            return
        try:
            self.deps.on_interest(self.customer.customer_id, sku, self.deps.channel)
        except Exception as error:  # the interest is stored; the rule's follow-up is not promised
            logger.warning("interest follow-up rule failed", extra={"error": type(error).__name__})

    def schedule_follow_up(
        self, sku: str, reason: str = "", channel: ChannelName | None = None
    ) -> dict[str, Any]:
        """Ask for a later message to this customer about a product (a reminder, back in stock)."""
        arguments = {"sku": sku, "reason": reason, "channel": channel}
        product = self._product(sku)
        if not self.verified:
            return self.record("schedule_follow_up", arguments, UNVERIFIED)
        if product is None:
            return self.record("schedule_follow_up", arguments, _no_product(sku))
        request = {"sku": product["sku"], "channel": channel or self.deps.channel}
        request["reason"] = reason[:200]
        if self.deps.schedule_follow_up is None:  # nothing would ever send it: no promise
            return self.record("schedule_follow_up", arguments, _unavailable("Reminders"))
        scheduled = self.deps.schedule_follow_up(
            self.customer.customer_id, request["sku"], request["channel"], request["reason"]
        )
        done = scheduled.get("scheduled") is True  # done only when the service says it is
        kind = "follow_up_scheduled" if done else "follow_up_not_scheduled"
        self.actions.append({"type": kind, **request, "result": scheduled})
        return self.record("schedule_follow_up", arguments, {"scheduled": done, **scheduled})

    def escalate(
        self, reasons: list[ReasonCode], summary: str, suggested_next_step: str = ""
    ) -> dict[str, Any]:
        """Hand the conversation to a person, with reason codes and a summary of what the customer wants."""
        arguments = {"reasons": reasons, "summary": summary}
        codes = [code for code in reasons if code in REASON_CODES] or ["low_confidence"]
        found = self.escalation or Escalation(reasons=[], summary=summary[:500])
        known = {reason.code for reason in found.reasons}
        found.reasons += [Reason(code, summary[:200]) for code in codes if code not in known]
        found.suggested_next_step = found.suggested_next_step or suggested_next_step[:300]
        self.escalation = found
        return self.record("escalate", arguments, {"escalated": True, "reasons": codes})

    def find_product(self, query: str) -> dict[str, Any] | None:
        """The catalog product best matching `query`, in stock or not (for the rules backend)."""
        return best_match(self.deps.catalog.all(), query) if self.deps.catalog else None

    def describe_product(self, text: str, named_in: str | None = None) -> Fact | None:
        """What the catalog says in answer to a question about a product it (or `named_in`, the
        message the question is part of) names (rules backend)."""
        return (
            product_answer(text, self.deps.catalog.all(), named_in) if self.deps.catalog else None
        )

    def product_summary(self, text: str) -> str | None:
        """What the catalog entry of the one product a message names says (rules backend)."""
        return product_summary(text, self.deps.catalog.all()) if self.deps.catalog else None

    def _product(self, sku: str) -> dict[str, Any] | None:
        """A catalog product by SKU (catalog data is not personal)."""
        found = self.deps.catalog.get(sku.strip().upper()) if self.deps.catalog else None
        return product_view(found) if found else None


def _no_product(sku: str) -> dict[str, Any]:
    return {"error": "unknown_product", "message": f"No product with SKU {sku[:40]!r}."}


ToolName = Literal[
    "lookup_orders",
    "search_knowledge",
    "recommend_products",
    "apply_discount",
    "record_interest",
    "schedule_follow_up",
    "escalate",
]
TOOL_NAMES: tuple[str, ...] = get_args(ToolName)
