"""What the follow-up use cases share: repositories, schedules, the store's rules and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.config.store_config import StoreConfig
from chalicelib.domain.followups import FollowUp
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import utcnow
from chalicelib.followups.schedules import FollowUpSchedules
from chalicelib.runtime.observability import logger
from chalicelib.store.catalog import CatalogRepository
from chalicelib.store.customers import CustomerRepository
from chalicelib.store.followups import FollowUpRepository

BOUGHT_STATUSES = {"placed", "processing", "shipped", "out_for_delivery", "delivered"}


@dataclass
class FollowUpParts:
    """The parts both scheduling and sending use."""

    records: FollowUpRepository
    customers: CustomerRepository
    catalog: CatalogRepository
    schedules: FollowUpSchedules
    store: StoreConfig
    default_delay: int
    clock: Callable[[], datetime] = field(default=utcnow)

    def delay_seconds(self) -> int:
        """The store's follow-up delay, else the `FOLLOWUP_DELAY_SECONDS` setting."""
        return self.store.followups.delay_seconds or self.default_delay

    def ended(
        self, followup: FollowUp, expected: str, status: str, reason: str = "", **fields: Any
    ) -> bool:
        """Record a final status and put it on the customer's timeline; False if it moved on."""
        if not self.records.transition(followup, expected, status, status_reason=reason, **fields):
            return False
        followup.status, followup.status_reason = status, reason  # type: ignore[assignment]
        self.timeline(followup)
        return True

    def timeline(self, followup: FollowUp, what: str = "") -> None:
        """Put what happened to the follow-up on the profile timeline, and log it (no PII)."""
        what = what or followup.status
        data: dict[str, Any] = {"followup_id": followup.followup_id, "sku": followup.sku}
        data.update(channel=followup.channel.value, reason=followup.status_reason)
        event_id = f"{followup.followup_id}.{what}.{followup.deferrals}"
        self.customers.add_event(followup.customer_id, event_id, f"followup.{what}", data)
        logger.info(
            f"follow-up {what}",
            extra={"followup_id": followup.followup_id, "reason": followup.status_reason},
        )


def bought_skus(bundle: CustomerBundle) -> set[str]:
    """The products the customer has ordered (orders not cancelled or returned)."""
    return {
        str(item.get("sku"))
        for order in bundle.orders
        if order.status in BOUGHT_STATUSES
        for item in order.items
    }
