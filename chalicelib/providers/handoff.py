"""The handoff package: the helpdesk queue, escalation and forwarding, the helpdesk API."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.agent.base import TurnResult
    from chalicelib.domain.conversations import Conversation, StoredMessage
    from chalicelib.domain.profiles import CustomerBundle
    from chalicelib.handoff.escalation import Handoff, HelpdeskQueue
    from chalicelib.handoff.helpdesk import Helpdesk
    from chalicelib.outbox.sending import Outbox
    from chalicelib.review.hooks import ReviewHooks
    from chalicelib.store.conversations import ConversationRepository
    from chalicelib.store.customers import CustomerRepository


class HandoffProvider(Core):
    """The HandoffHook the worker calls, the helpdesk queue's events and the helpdesk API."""

    if TYPE_CHECKING:  # from other providers

        @property
        def customers(self) -> CustomerRepository: ...

        @property
        def conversations(self) -> ConversationRepository: ...

        @property
        def outbox(self) -> Outbox: ...

        @property
        def review(self) -> ReviewHooks: ...

    @cached_property
    def helpdesk_queue(self) -> HelpdeskQueue:
        """The helpdesk FIFO queue's typed events."""
        from chalicelib.handoff.escalation import HelpdeskQueue
        from chalicelib.runtime.queues import FifoQueue

        return HelpdeskQueue(FifoQueue(self.sqs, self.settings.helpdesk_queue_url))

    @cached_property
    def handoff(self) -> Handoff:
        """The HandoffHook: escalation packets and messages forwarded while a human owns."""
        from chalicelib.handoff.escalation import Handoff, HandoffPolicy
        from chalicelib.store.escalations import EscalationRepository

        rules = self.store_config.escalation
        policy = HandoffPolicy(
            self.human_sla_seconds,
            rules.priority,
            self.settings.public_base_url,
        )
        escalations = EscalationRepository(self.table)
        return Handoff(self.conversations, escalations, self.helpdesk_queue, policy)

    def _handoff_call(
        self,
        conversation: Conversation,
        bundle: CustomerBundle,
        result: TurnResult | None,
        trigger: StoredMessage,
    ) -> None:
        """The handoff hook, built on the first escalation or forward (not every cold start)."""
        self.handoff(conversation, bundle, result, trigger)

    @cached_property
    def helpdesk(self) -> Helpdesk:
        """The helpdesk API's use cases: read, reply, resolve, release."""
        from chalicelib.handoff.helpdesk import Helpdesk

        return Helpdesk(
            self.conversations,
            self.customers,
            self.outbox,
            self.helpdesk_queue,
            on_resolved=self.review.resolved,
        )
