"""The followups package: scheduling with EventBridge Scheduler, sending when due."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.followups.parts import FollowUpParts
    from chalicelib.followups.sending import FollowUpSender
    from chalicelib.followups.service import FollowUps
    from chalicelib.outbox.sending import Outbox
    from chalicelib.store.catalog import CatalogRepository
    from chalicelib.store.conversations import ConversationRepository
    from chalicelib.store.customers import CustomerRepository


class FollowUpsProvider(Core):
    """What scheduling and sending follow-ups share, the scheduling use cases, the sender."""

    if TYPE_CHECKING:  # from other providers

        @property
        def customers(self) -> CustomerRepository: ...

        @property
        def catalog(self) -> CatalogRepository: ...

        @property
        def conversations(self) -> ConversationRepository: ...

        @property
        def outbox(self) -> Outbox: ...

    @cached_property
    def followup_parts(self) -> FollowUpParts:
        """What scheduling and sending follow-ups share (the scheduler client is made on use)."""
        from chalicelib.domain.vocabulary import utcnow
        from chalicelib.followups.parts import FollowUpParts
        from chalicelib.followups.schedules import FollowUpSchedules
        from chalicelib.store.followups import FollowUpRepository

        s = self.settings
        schedules = FollowUpSchedules(
            lambda: self._aws("scheduler"),
            s.followup_schedule_group,
            s.followup_target_arn,
            s.scheduler_role_arn,
            s.followup_dlq_arn,
        )
        records = FollowUpRepository(self.table)
        clock = self.overrides.get("clock", utcnow)
        return FollowUpParts(
            records,
            self.customers,
            self.catalog,
            schedules,
            self.store_config,
            s.followup_delay_seconds,
            clock,
        )

    @cached_property
    def followups(self) -> FollowUps:
        """Schedules and cancels follow-ups; `schedule_follow_up` is the agent tool's callable."""
        from chalicelib.followups.service import FollowUps

        return FollowUps(self.followup_parts)

    def followup_hooks(self) -> FollowUps:
        """The follow-ups, built only when a store event needs them (orders, consent)."""
        return self.followups

    @cached_property
    def followup_sender(self) -> FollowUpSender:
        """Sends due follow-ups through the same outbox as every reply."""
        from chalicelib.followups.sending import FollowUpSender, Links

        links = Links(self.settings.public_base_url, self.settings.chat_session_secret)
        return FollowUpSender(self.followup_parts, self.conversations, self.outbox, links)
