"""The store package's repositories over the single table."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.followups.service import FollowUps
    from chalicelib.review.facts import MessageFacts
    from chalicelib.store.catalog import CatalogRepository
    from chalicelib.store.consent import ConsentStore
    from chalicelib.store.conversations import ConversationRepository
    from chalicelib.store.customers import CustomerRepository
    from chalicelib.store.dedupe import DedupeStore
    from chalicelib.store.knowledge import KnowledgeRepository
    from chalicelib.store.mail_threads import MailThreadIndex
    from chalicelib.store.review import ReviewRepository


class StoreProvider(Core):
    """Customers, conversations, dedupe keys, catalog, knowledge, review data, mail threads, consent."""

    if TYPE_CHECKING:  # from other providers

        @property
        def message_facts(self) -> MessageFacts: ...

        @property
        def followups(self) -> FollowUps: ...

    @cached_property
    def customers(self) -> CustomerRepository:
        """Customer profiles, identities, orders, carts."""
        from chalicelib.store.customers import CustomerRepository

        return CustomerRepository(self.table)

    @cached_property
    def conversations(self) -> ConversationRepository:
        """Conversations and messages."""
        from chalicelib.store.conversations import ConversationRepository

        return ConversationRepository(self.table, self.message_facts)

    @cached_property
    def dedupe(self) -> DedupeStore:
        """Dedupe keys of provider deliveries and store events."""
        from chalicelib.store.dedupe import DedupeStore

        return DedupeStore(self.table)

    @cached_property
    def catalog(self) -> CatalogRepository:
        """The product catalog."""
        from chalicelib.store.catalog import CatalogRepository

        return CatalogRepository(self.table)

    @cached_property
    def knowledge(self) -> KnowledgeRepository:
        """Knowledge articles, versioned."""
        from chalicelib.store.knowledge import KnowledgeRepository

        return KnowledgeRepository(self.table)

    @cached_property
    def reviews(self) -> ReviewRepository:
        """Review flags, feedback, metric facts and idle timers (GSI2)."""
        from chalicelib.store.review import ReviewRepository

        return ReviewRepository(self.table)

    @cached_property
    def mail_threads(self) -> MailThreadIndex:
        """Email Message-IDs -> conversations."""
        from chalicelib.store.mail_threads import MailThreadIndex

        return MailThreadIndex(self.table)

    @cached_property
    def consent(self) -> ConsentStore:
        """Opt-outs per medium on the profile; an opt-out cancels the follow-ups it now refuses."""
        from chalicelib.store.consent import ConsentStore

        # The follow-ups are built on the first opt-out, not on every cold start.
        return ConsentStore(
            self.table, lambda customer_id: self.followups.consent_changed(customer_id)
        )
