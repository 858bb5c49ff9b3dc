"""What the channels share: the webhooks' messages deduped and queued for the agent worker."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.channels.ingest import Ingest
    from chalicelib.store.dedupe import DedupeStore


class ChannelsProvider(Core):
    """Ingest: dedupe and enqueue."""

    if TYPE_CHECKING:  # from other providers

        @property
        def dedupe(self) -> DedupeStore: ...

    @cached_property
    def ingest(self) -> Ingest:
        """Inbound: dedupe and enqueue."""
        from chalicelib.channels.ingest import Ingest
        from chalicelib.runtime.queues import FifoQueue

        return Ingest(self.dedupe, FifoQueue(self.sqs, self.settings.inbound_queue_url))
