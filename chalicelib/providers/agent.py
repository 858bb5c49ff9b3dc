"""The agent package: the backend settings choose and the tools of one turn."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.agent.base import Agent
    from chalicelib.agent.tools import FollowUpScheduler, InterestListener, ToolBox
    from chalicelib.domain.conversations import Conversation
    from chalicelib.domain.profiles import CustomerBundle
    from chalicelib.followups.service import FollowUps
    from chalicelib.store.catalog import CatalogRepository
    from chalicelib.store.customers import CustomerRepository
    from chalicelib.store.knowledge import KnowledgeRepository


class AgentProvider(Core):
    """The agent backend and its tools."""

    if TYPE_CHECKING:  # from other providers

        @property
        def customers(self) -> CustomerRepository: ...

        @property
        def catalog(self) -> CatalogRepository: ...

        @property
        def knowledge(self) -> KnowledgeRepository: ...

        @property
        def followups(self) -> FollowUps: ...

    @cached_property
    def agent(self) -> Agent:
        """The agent backend chosen by settings."""
        if "agent" in self.overrides:
            return self.overrides["agent"]
        from chalicelib.agent.media import MediaAwareAgent

        return MediaAwareAgent(self._backend(), self.store_config, self.human_sla_seconds)

    def _backend(self) -> Agent:
        """The text agent: the model, or the offline rules."""
        if self.settings.backend == "openai":
            from chalicelib.agent.openai_backend import OpenAIAgent

            return OpenAIAgent(self.settings, self.store_config)
        from chalicelib.agent.rules import RulesAgent

        return RulesAgent(self.store_config, self.settings.human_sla_seconds)

    def toolbox(
        self, bundle: CustomerBundle, verified: bool, conversation: Conversation
    ) -> ToolBox:
        """The agent's tools for one turn, bound to the conversation's own customer."""
        from chalicelib.agent.tools import ToolBox, ToolDeps
        from chalicelib.store.discounts import DiscountClaims

        conversation_id = conversation.conversation_id
        answering = conversation.unanswered()
        deps = ToolDeps(
            customers=self.customers,
            discounts=DiscountClaims(self.table),
            catalog=self.catalog,
            knowledge=self.knowledge,
            store=self.store_config,
            schedule_follow_up=self.overrides.get("schedule_follow_up")
            or self._follow_up_scheduler(conversation_id),
            on_interest=self._interest_listener(conversation_id),
            channel=conversation.channel.value,
            turn_id=answering[-1].message_id if answering else "",
        )
        return ToolBox(bundle, verified, deps)

    def _follow_up_scheduler(self, conversation_id: str) -> FollowUpScheduler:
        """The tool's `schedule_follow_up`; the follow-ups are built when it is first called."""
        return lambda customer_id, sku, channel, reason: self.followups.schedule_follow_up(
            customer_id, sku, channel, reason, conversation_id=conversation_id
        )

    def _interest_listener(self, conversation_id: str) -> InterestListener:
        """Interest the tools captured; the follow-ups are built when it is first called."""
        return lambda customer_id, sku, channel: self.followups.interest_recorded(
            customer_id, sku, channel, conversation_id=conversation_id
        )
