"""Composition root: builds settings, AWS clients and services once per cold start."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.agent.base import Agent
from chalicelib.domain.messages import Channel
from chalicelib.outbox import ChannelSender, Outbox, StoredOnlySender
from chalicelib.settings import Settings, get_settings
from chalicelib.store.table import Table

if TYPE_CHECKING:
    from chalicelib.store_config import StoreConfig


@dataclass
class Services:
    """The parts of Tandem, built lazily so each handler pays only for what it uses."""

    settings: Settings
    overrides: dict[str, Any] = field(default_factory=dict)

    def _aws(self, service: str, kind: str = "client") -> Any:
        import boto3

        session = boto3.session.Session()
        factory = session.resource if kind == "resource" else session.client
        return factory(
            service,
            region_name=self.settings.aws_region,
            endpoint_url=self.settings.aws_endpoint_url,
        )

    @cached_property
    def store_config(self) -> StoreConfig:
        """The store's policy file (STORE_CONFIG), or the bundled demo config."""
        if "store_config" in self.overrides:
            config: StoreConfig = self.overrides["store_config"]
            return config
        from chalicelib.store_config import load_store_config

        return load_store_config(self.settings.store_config)

    @cached_property
    def table(self) -> Table:
        """The single DynamoDB table."""
        return Table(self._aws("dynamodb", "resource"), self.settings.table_name)

    @cached_property
    def sqs(self) -> Any:
        """The SQS client."""
        return self._aws("sqs")

    @cached_property
    def customers(self) -> Any:
        """Customer profiles, identities, orders, carts."""
        from chalicelib.store.customers import CustomerRepository

        return CustomerRepository(self.table)

    @cached_property
    def conversations(self) -> Any:
        """Conversations and messages."""
        from chalicelib.store.conversations import ConversationRepository

        return ConversationRepository(self.table, self.message_facts)

    @cached_property
    def dedupe(self) -> Any:
        """Dedupe keys of provider deliveries and store events."""
        from chalicelib.store.dedupe import DedupeStore

        return DedupeStore(self.table)

    @cached_property
    def catalog(self) -> Any:
        """The product catalog."""
        from chalicelib.store.catalog import CatalogRepository

        return CatalogRepository(self.table)

    @cached_property
    def ingest(self) -> Any:
        """Inbound: dedupe and enqueue."""
        from chalicelib.ingest import Ingest
        from chalicelib.queues import FifoQueue

        return Ingest(self.dedupe, FifoQueue(self.sqs, self.settings.inbound_queue_url))

    @cached_property
    def commerce(self) -> Any:
        """Store events applied to profiles and catalog."""
        from chalicelib.commerce import Commerce

        return Commerce(self.customers, self.catalog, self.dedupe)

    @cached_property
    def chat(self) -> Any:
        """Web chat sessions."""
        from chalicelib.channels.webchat import ChatSessions

        s = self.settings
        return ChatSessions(
            s.chat_session_secret,
            s.chat_identity_secret,
            s.chat_session_ttl_seconds,
            self.customers,
            self.conversations,
            self.ingest,
        )

    @cached_property
    def senders(self) -> dict[Channel, ChannelSender]:
        """The channel registry: Channel -> sender."""
        return self.overrides.get("senders") or {Channel.WEBCHAT: StoredOnlySender()}

    @cached_property
    def agent(self) -> Agent:
        """The agent backend chosen by settings."""
        if "agent" in self.overrides:
            agent: Agent = self.overrides["agent"]
            return agent
        from chalicelib.agent.rules import RulesAgent

        return RulesAgent()

    @cached_property
    def turns(self) -> Any:
        """The agent worker's turn runner."""
        from chalicelib.agent.turn import TurnRunner

        outbox = Outbox(self.conversations, self.senders)
        return TurnRunner(
            self.customers, self.conversations, self.agent, outbox, review=self.review
        )

    @cached_property
    def reviews(self) -> Any:
        """Review flags, feedback, metric facts and idle timers (GSI2)."""
        from chalicelib.store.review import ReviewRepository

        return ReviewRepository(self.table)

    @cached_property
    def message_facts(self) -> Any:
        """Metric facts and flags recorded as messages are stored."""
        from chalicelib.review.facts import MessageFacts

        return MessageFacts(self.reviews, self.settings.ai_idle_resolve_seconds)

    @cached_property
    def review(self) -> Any:
        """Review hooks: escalated, reopened, CSAT, resolved (the helpdesk's resolve calls it)."""
        from chalicelib.review.csat import CsatSurvey
        from chalicelib.review.hooks import ReviewHooks

        outbox = Outbox(self.conversations, self.senders)
        question = self.store_config.texts.csat_question
        survey = CsatSurvey(self.conversations, self.reviews, outbox, question)
        return ReviewHooks(self.conversations, self.message_facts, survey)

    @cached_property
    def review_desk(self) -> Any:
        """The review API's use cases: queues, feedback, misses, scenarios, metrics, dashboard."""
        from chalicelib.review.desk import ReviewDesk

        return ReviewDesk(self.conversations, self.customers, self.reviews)


_services: Services | None = None


def services() -> Services:
    """The services of this process, built on first use."""
    global _services
    if _services is None:
        settings = get_settings()
        from chalicelib.observability import logger

        logger.setLevel(settings.log_level.upper())
        _services = Services(settings)
    return _services


def reset(built: Services | None = None) -> None:
    """Replace the process's services (tests build them with other parts)."""
    global _services
    _services = built
