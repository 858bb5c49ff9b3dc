"""The review package: metric facts as messages are stored, the conversation's hooks, the review API."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.outbox.sending import Outbox
    from chalicelib.review.desk import ReviewDesk
    from chalicelib.review.facts import MessageFacts
    from chalicelib.review.hooks import ReviewHooks
    from chalicelib.store.conversations import ConversationRepository
    from chalicelib.store.customers import CustomerRepository
    from chalicelib.store.review import ReviewRepository


class ReviewProvider(Core):
    """Metric facts, the review hooks (escalated, reopened, CSAT, resolved) and the review desk."""

    if TYPE_CHECKING:  # from other providers

        @property
        def customers(self) -> CustomerRepository: ...

        @property
        def conversations(self) -> ConversationRepository: ...

        @property
        def reviews(self) -> ReviewRepository: ...

        @property
        def outbox(self) -> Outbox: ...

    @cached_property
    def message_facts(self) -> MessageFacts:
        """Metric facts and flags recorded as messages are stored."""
        from chalicelib.review.facts import MessageFacts

        return MessageFacts(self.reviews, self.settings.ai_idle_resolve_seconds)

    @cached_property
    def review(self) -> ReviewHooks:
        """Review hooks: escalated, reopened, CSAT, resolved (the helpdesk's resolve calls it)."""
        from chalicelib.review.csat import CsatSurvey
        from chalicelib.review.hooks import ReviewHooks

        question = self.store_config.texts.csat_question
        survey = CsatSurvey(self.conversations, self.reviews, self.outbox, question)
        return ReviewHooks(self.conversations, self.message_facts, survey)

    @cached_property
    def review_desk(self) -> ReviewDesk:
        """The review API's use cases: queues, feedback, misses, scenarios, metrics, dashboard."""
        from chalicelib.review.desk import ReviewDesk

        return ReviewDesk(self.conversations, self.customers, self.reviews)
