"""Scheduling and cancelling follow-ups: the record first, then its one-time schedule."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.errors import BadRequestError, TandemError
from chalicelib.domain.followups import FollowUp, choose_channel, refusal, schedule_name
from chalicelib.domain.vocabulary import Channel, iso
from chalicelib.followups.parts import FollowUpParts, bought_skus
from chalicelib.followups.unsubscribe import read_token, withdraw_consent


def followup_view(followup: FollowUp) -> dict[str, Any]:
    """What the agent's tool (and the helpdesk) sees of a follow-up."""
    return {
        "scheduled": followup.status == "scheduled",
        "followup_id": followup.followup_id,
        "status": followup.status,
        "reason": followup.status_reason,
        "channel": followup.channel.value,
        "due_at": followup.due_at,
        "product": followup.product_name or followup.sku,
    }


class FollowUps:
    """Schedules follow-ups (at most one pending per customer and product) and cancels them."""

    def __init__(self, parts: FollowUpParts) -> None:
        self.parts = parts

    def schedule_follow_up(
        self,
        customer_id: str,
        sku: str,
        channel: str,
        reason: str,
        conversation_id: str | None = None,
    ) -> dict[str, Any]:
        """The agent's `schedule_follow_up`: schedule one, answering with a dict, never raising."""
        try:
            followup = self.schedule(customer_id, sku, channel, reason, None, conversation_id)
        except TandemError as error:
            return {"scheduled": False, "error": error.code, "message": error.message}
        return followup_view(followup)

    def interest_recorded(
        self, customer_id: str, sku: str, channel: str, conversation_id: str | None = None
    ) -> dict[str, Any] | None:
        """The store rule: an interest captured and not bought gets a follow-up (if turned on)."""
        if not self.parts.store.followups.on_interest_not_bought:
            return None
        reason = "interest_not_bought"
        return self.schedule_follow_up(customer_id, sku, channel, reason, conversation_id)

    def schedule(
        self,
        customer_id: str,
        sku: str,
        channel: str,
        reason: str,
        delay: int | None = None,
        conversation_id: str | None = None,
    ) -> FollowUp:
        """Record a follow-up and create its schedule; the pending one if there already is one."""
        product = self.parts.catalog.get(sku)
        if product is None:
            raise BadRequestError(f"unknown product {sku}", field="sku")
        pending = self.parts.records.pending_for(customer_id, sku)
        if pending:
            self._ensure_schedule(pending)  # a retry after a crash between record and schedule
            return pending
        due = self._due(delay)
        followup = self._new(customer_id, sku, channel, reason, due, conversation_id)
        followup.product_name = str(product.get("name") or "")
        if followup.status != "scheduled":
            self.parts.records.record_final(followup)
            self.parts.timeline(followup)
            return followup
        if not self.parts.records.create(followup):
            return self.parts.records.pending_for(customer_id, sku) or followup
        self._ensure_schedule(followup)
        self.parts.timeline(followup)
        return followup

    def _new(
        self,
        customer_id: str,
        sku: str,
        requested: str,
        reason: str,
        due: datetime,
        conversation_id: str | None,
    ) -> FollowUp:
        """A new record: scheduled on the chosen channel, or skipped when nothing may carry it."""
        bundle = self.parts.customers.load(customer_id)
        chosen = choose_channel(requested, bundle.profile)
        followup_id = f"fu_{uuid.uuid4().hex[:20]}"
        followup = FollowUp(
            followup_id=followup_id,
            customer_id=customer_id,
            sku=sku,
            requested_channel=requested,
            channel=chosen or Channel.EMAIL,
            reason=reason[:500],
            conversation_id=conversation_id,
            due_at=iso(due),
            schedule_name=schedule_name(followup_id, 0),
        )
        if sku in bought_skus(bundle):
            followup.status, followup.status_reason = "skipped", "already_bought"
        elif chosen is None:
            followup.status = "skipped"
            followup.status_reason = refusal(Channel.EMAIL, bundle.profile) or "no_consent"
        return followup

    def _due(self, delay: int | None) -> datetime:
        """Now plus the delay, on a whole second (`at(...)` has no fractions)."""
        due = self.parts.clock() + timedelta(seconds=delay or self.parts.delay_seconds())
        return due.replace(microsecond=0) + timedelta(seconds=math.ceil(due.microsecond / 1e6))

    def _ensure_schedule(self, followup: FollowUp) -> None:
        due = datetime.fromisoformat(followup.due_at.replace("Z", "+00:00"))
        self.parts.schedules.create(followup.schedule_name, due, followup.schedule_input())

    def cancel(self, followup: FollowUp, reason: str) -> bool:
        """Cancel a pending follow-up: record it, then delete its schedule."""
        if not self.parts.ended(followup, "scheduled", "cancelled", reason):
            return False
        self.parts.schedules.delete(followup.schedule_name)
        return True

    def cancel_for_customer(
        self,
        customer_id: str,
        reason: str,
        channel: Channel | None = None,
        skus: set[str] | None = None,
    ) -> int:
        """Cancel the customer's pending follow-ups (on a channel, about products); how many."""
        cancelled = 0
        for followup in self.parts.records.pending(customer_id):
            if channel is not None and followup.channel is not channel:
                continue
            if skus is not None and followup.sku not in skus:
                continue
            cancelled += self.cancel(followup, reason)
        return cancelled

    def products_bought(self, customer_id: str, skus: set[str]) -> int:
        """An order with these products: their pending follow-ups are cancelled."""
        return self.cancel_for_customer(customer_id, "bought", skus=skus)

    def consent_changed(self, customer_id: str) -> int:
        """Consent withdrawn or an opt-out: follow-ups on channels now refused are cancelled."""
        profile = self.parts.customers.load(customer_id).profile
        cancelled = 0
        for followup in self.parts.records.pending(customer_id):
            reason = refusal(followup.channel, profile)
            if reason:
                cancelled += self.cancel(followup, reason)
        return cancelled

    def unsubscribe(self, token: str, secret: str) -> int:
        """An unsubscribe link redeemed: consent off on its channel, its follow-ups cancelled."""
        customer_id, channel = read_token(secret, token)
        withdraw_consent(self.parts.customers, customer_id, channel)
        return self.consent_changed(customer_id)
