"""The turns package: the agent worker's turn runner, wired to the agent, outbox, handoff and review."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.agent.base import Agent, TurnResult
    from chalicelib.agent.tools import ToolBox
    from chalicelib.domain.conversations import Conversation, StoredMessage
    from chalicelib.domain.profiles import CustomerBundle
    from chalicelib.handoff.escalation import Handoff
    from chalicelib.outbox.consent import ConsentKeywords
    from chalicelib.outbox.sending import Outbox
    from chalicelib.review.hooks import ReviewHooks
    from chalicelib.store.conversations import ConversationRepository
    from chalicelib.store.customers import CustomerRepository
    from chalicelib.turns.last_resort import LastResort
    from chalicelib.turns.turn import TurnRunner


class TurnsProvider(Core):
    """The agent worker's turn runner."""

    if TYPE_CHECKING:  # from other providers

        @property
        def customers(self) -> CustomerRepository: ...

        @property
        def conversations(self) -> ConversationRepository: ...

        @property
        def agent(self) -> Agent: ...

        @property
        def outbox(self) -> Outbox: ...

        @property
        def keywords(self) -> ConsentKeywords: ...

        @property
        def review(self) -> ReviewHooks: ...

        @property
        def handoff(self) -> Handoff: ...

        def toolbox(
            self, bundle: CustomerBundle, verified: bool, conversation: Conversation
        ) -> ToolBox: ...

        def _handoff_call(
            self,
            conversation: Conversation,
            bundle: CustomerBundle,
            result: TurnResult | None,
            trigger: StoredMessage,
        ) -> None: ...

    @cached_property
    def turns(self) -> TurnRunner:
        """The agent worker's turn runner."""
        from chalicelib.turns.turn import TurnRunner

        return TurnRunner(
            self.customers,
            self.conversations,
            self.agent,
            self.outbox,
            toolbox=self.toolbox,
            handoff=self._handoff_call,
            keywords=self.keywords,
            review=self.review,
        )

    @cached_property
    def last_resort(self) -> LastResort:
        """A turn's last failed try: the conversation to a person, a holding reply attempted."""
        from functools import partial

        from chalicelib.agent.voice import holding_reply
        from chalicelib.turns.last_resort import LastResort

        holding = partial(holding_reply, self.store_config, sla_seconds=self.human_sla_seconds)
        return LastResort(self.customers, self.conversations, self.handoff, self.outbox, holding)
