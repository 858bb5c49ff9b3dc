"""Sending a due follow-up (the scheduler's Lambda): re-check, defer, render, deliver once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from jinja2 import TemplateError

from chalicelib.domain.conversations import Conversation, Ownership, StoredMessage
from chalicelib.domain.errors import TransientError
from chalicelib.domain.followups import FollowUp, address_for, quiet_until, refusal, schedule_name
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import Author, Channel, iso
from chalicelib.followups.content import compose, recommendations, template_context
from chalicelib.followups.parts import FollowUpParts, bought_skus
from chalicelib.followups.unsubscribe import unsubscribe_url
from chalicelib.outbox.sending import Outbox
from chalicelib.store.conversations import ConversationRepository

STALE_SENDING = timedelta(minutes=5)  # a `sending` claim this old was a crashed send
DELIVERED = {"sent", "queued", "accepted", "delivered"}


@dataclass
class Links:
    """Where unsubscribe links point and the secret that signs them."""

    base_url: str
    secret: str


class FollowUpSender:
    """Handles a schedule firing; a second delivery of the same follow-up sends nothing."""

    def __init__(
        self,
        parts: FollowUpParts,
        conversations: ConversationRepository,
        outbox: Outbox,
        links: Links,
    ) -> None:
        self.parts = parts
        self.conversations = conversations
        self.outbox = outbox
        self.links = links

    def fire(self, event: dict[str, Any]) -> dict[str, Any]:
        """The Lambda's work for one schedule's Input `{"followup_id", "customer_id", "schedule"}`."""
        followup = self.parts.records.get(
            str(event.get("customer_id")), str(event.get("followup_id"))
        )
        if followup is None:
            return {"status": "unknown"}
        fired = event.get("schedule", followup.schedule_name)
        if followup.status not in {"scheduled", "sending"} or fired != followup.schedule_name:
            return {"status": followup.status, "duplicate": True}
        bundle = self.parts.customers.load(followup.customer_id)
        product = self.parts.catalog.get(followup.sku)
        reason = self._unwanted(followup, bundle, product)
        if reason:
            return self._end(followup, "skipped", reason)
        later = self._quiet_until(bundle)
        if later:
            return self._defer(followup, later)
        return self._claim_and_send(followup, bundle, product or {})

    def _unwanted(
        self, followup: FollowUp, bundle: CustomerBundle, product: dict[str, Any] | None
    ) -> str | None:
        """Why the follow-up should not go now (bought, consent, human-owned, product gone)."""
        if followup.sku in bought_skus(bundle):
            return "already_bought"
        refused = refusal(followup.channel, bundle.profile)
        if refused:
            return refused
        if not product or not product.get("in_stock", True):
            return "product_unavailable"
        owned = [followup.conversation_id, self._thread(followup, bundle)]
        for conversation_id in filter(None, owned):
            found = self.conversations.load(conversation_id)
            if found and found.state is Ownership.HUMAN:
                return "human_owned"
        return None

    def _quiet_until(self, bundle: CustomerBundle) -> datetime | None:
        quiet = self.parts.store.quiet_hours
        zone = str(bundle.profile.get("time_zone") or quiet.time_zone)
        try:
            return quiet_until(self.parts.clock(), quiet.start, quiet.end, zone)
        except (KeyError, ValueError):  # an unknown zone on the profile: the store's
            return quiet_until(self.parts.clock(), quiet.start, quiet.end, quiet.time_zone)

    def _defer(self, followup: FollowUp, until: datetime) -> dict[str, Any]:
        """Quiet hours: move the record to a new `at(...)` schedule; the fired one is deleted."""
        deferrals = followup.deferrals + 1
        name = schedule_name(followup.followup_id, deferrals)
        moved = self.parts.records.transition(
            followup,
            "scheduled",
            "scheduled",
            due_at=iso(until),
            schedule_name=name,
            deferrals=deferrals,
        )
        if not moved:
            return {"status": "unknown", "duplicate": True}
        followup.due_at, followup.schedule_name, followup.deferrals = iso(until), name, deferrals
        self.parts.schedules.create(name, until, followup.schedule_input())
        self.parts.timeline(
            followup.model_copy(update={"status_reason": "quiet_hours"}), "deferred"
        )
        return {"status": "deferred", "due_at": followup.due_at}

    def _claim_and_send(
        self, followup: FollowUp, bundle: CustomerBundle, product: dict[str, Any]
    ) -> dict[str, Any]:
        stale = iso(self.parts.clock() - STALE_SENDING)
        if not self.parts.records.transition(followup, "scheduled", "sending", stale_before=stale):
            return {"status": "sending", "duplicate": True}
        try:
            return self._send(followup, bundle, product)
        except TemplateError:
            return self._end(followup, "failed", "template_error", expected="sending")
        except TransientError:
            self.parts.records.transition(followup, "sending", "scheduled")
            raise  # the scheduler retries under its retry policy

    def _send(
        self, followup: FollowUp, bundle: CustomerBundle, product: dict[str, Any]
    ) -> dict[str, Any]:
        conversation = self._conversation(followup, bundle)
        message = conversation.message(f"{followup.followup_id}.m") or self._record_message(
            conversation, followup, bundle, product
        )
        status = message.status
        if status == "pending":
            status = self.outbox.deliver(conversation, message)
        outcome = "sent" if status in DELIVERED else "failed"
        followup.message_id = message.message_id
        reason = "" if outcome == "sent" else f"send_{status}"
        return self._end(
            followup, outcome, reason, expected="sending", message_id=message.message_id
        )

    def _record_message(
        self,
        conversation: Conversation,
        followup: FollowUp,
        bundle: CustomerBundle,
        product: dict[str, Any],
    ) -> StoredMessage:
        """Render the follow-up and record it pending in the conversation (the outbox sends it)."""
        catalog = self.parts.catalog.all()
        related = recommendations({**product, "sku": followup.sku}, catalog, bought_skus(bundle))
        link = unsubscribe_url(
            self.links.base_url, self.links.secret, followup.customer_id, followup.channel
        )
        context = template_context(bundle, product, followup, related, link)
        content = compose(self.parts.store.followups, followup.channel, context)
        message = StoredMessage(
            message_id=f"{followup.followup_id}.m",
            author=Author.AI,
            text=content.text,
            created_at=iso(self.parts.clock()),
            status="pending",
            actions=[
                {"type": "followup", "followup_id": followup.followup_id, "sku": followup.sku}
            ],
            meta={**content.meta, "followup_id": followup.followup_id},
        )
        self.conversations.add_message(conversation.conversation_id, message)
        conversation.messages.append(message)
        return message

    def _thread(self, followup: FollowUp, bundle: CustomerBundle) -> str | None:
        address = address_for(followup.channel, bundle.profile)
        return bundle.threads.get(f"{followup.channel.value}#{address}") if address else None

    def _conversation(self, followup: FollowUp, bundle: CustomerBundle) -> Conversation:
        """The customer's conversation on the follow-up's channel address, or a new one."""
        existing = self._thread(followup, bundle)
        found = self.conversations.load(existing) if existing else None
        if found:
            return found
        address = str(address_for(followup.channel, bundle.profile))
        conversation = Conversation(
            conversation_id=f"conv_{uuid.uuid4().hex[:20]}",
            channel=Channel(followup.channel),
            address=address,
            customer_id=followup.customer_id,
            verified=True,
            created_at=iso(self.parts.clock()),
        )
        self.conversations.create(conversation)
        self.parts.customers.set_thread(
            followup.customer_id, followup.channel.value, address, conversation.conversation_id
        )
        return conversation

    def _end(
        self, followup: FollowUp, status: str, reason: str, expected: str = "", **fields: Any
    ) -> dict[str, Any]:
        if not self.parts.ended(followup, expected or followup.status, status, reason, **fields):
            return {"status": "unknown", "duplicate": True}
        return {"status": status, "reason": reason}
