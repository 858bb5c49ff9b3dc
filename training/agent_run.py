"""The real rules agent on one message, in-process: the first message of a verified customer with
one shipped order, the demo store's articles and catalog held in memory (no AWS needed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.agent.base import TurnResult
from chalicelib.agent.knowledge import Article
from chalicelib.agent.rules import RulesAgent
from chalicelib.agent.tools import ToolBox, ToolDeps
from chalicelib.config.store_config import StoreConfig, load_store_config
from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.messages import Author, Channel
from chalicelib.domain.profiles import CustomerBundle, Order
from chalicelib.store.knowledge import StoredArticle

NOW = "2026-12-01T12:00:00Z"


class MemoryKnowledge:
    """The store config's articles (or the ones given), version 1 each."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = [StoredArticle(a.id, a.title, a.body, 1) for a in articles]

    def all_latest(self) -> list[StoredArticle]:
        """Every article."""
        return list(self.articles)


class MemoryCatalog:
    """The store config's catalog."""

    def __init__(self, config: StoreConfig) -> None:
        self.products = {p.sku: {**p.model_dump(), "price": float(p.price)} for p in config.catalog}

    def all(self) -> list[dict[str, Any]]:
        """Every product."""
        return list(self.products.values())

    def get(self, sku: str) -> dict[str, Any] | None:
        """One product by SKU."""
        return self.products.get(sku)


@dataclass
class MemoryClaims:
    """Discount claims of this one run."""

    claimed: set[tuple[str, str]] = field(default_factory=set)

    def claim(self, customer_id: str, code: str, details: dict[str, Any]) -> bool:
        """Claim once."""
        key = (customer_id, code)
        fresh = key not in self.claimed
        self.claimed.add(key)
        return fresh


@dataclass
class MemoryFollowUps:
    """Follow-ups of this one run, each scheduled (as the deployed service does for a customer
    who has not opted out)."""

    scheduled: list[tuple[str, str, str, str]] = field(default_factory=list)

    def __call__(self, customer_id: str, sku: str, channel: str, reason: str) -> dict[str, Any]:
        """Schedule one."""
        self.scheduled.append((customer_id, sku, channel, reason))
        return {"scheduled": True, "channel": channel}


def shopper() -> CustomerBundle:
    """A verified customer with one shipped order."""
    order = Order(
        order_id="o-1001",
        order_number="1001",
        status="shipped",
        placed_at="2026-11-28T10:00:00Z",
        items=[{"sku": "JEANS-STR-IND", "name": "Straight jeans (indigo)", "quantity": 1}],
        total=78,
        shipment={
            "carrier": "UPS",
            "tracking_number": "1Z999AA10123456784",
            "estimated_delivery": "2026-12-03",
        },
    )
    profile = {"customer_id": "cust-eval", "first_name": "Ava", "loyalty_tier": "gold"}
    return CustomerBundle(customer_id="cust-eval", profile=profile, orders=[order])


class AgentRun:
    """The rules agent, ready to answer one first message at a time."""

    def __init__(
        self, config: StoreConfig | None = None, articles: Sequence[Article] | None = None
    ) -> None:
        self.config = config or load_store_config()
        self.agent = RulesAgent(self.config)
        found = self.config.knowledge if articles is None else articles
        self.knowledge = MemoryKnowledge(found)
        self.catalog = MemoryCatalog(self.config)

    def answer(self, text: str) -> TurnResult:
        """The agent's turn on `text` as the customer's first message."""
        from chalicelib.agent.base import TurnContext

        bundle = shopper()
        deps = ToolDeps(
            knowledge=self.knowledge,  # type: ignore[arg-type]
            catalog=self.catalog,  # type: ignore[arg-type]
            discounts=MemoryClaims(),  # type: ignore[arg-type]
            store=self.config,
            schedule_follow_up=MemoryFollowUps(),
        )
        message = StoredMessage(message_id="m1", author=Author.CUSTOMER, text=text, created_at=NOW)
        conversation = Conversation(
            conversation_id="conv-eval",
            channel=Channel.WEBCHAT,
            address="session",
            customer_id=bundle.customer_id,
            verified=True,
            created_at=NOW,
            messages=[message],
        )
        tools = ToolBox(bundle, True, deps)
        return self.agent.respond(TurnContext(conversation, bundle, True, [message], tools))
