"""The Twilio channel package: SMS and WhatsApp senders, signed webhooks, delivery statuses."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.domain.vocabulary import Channel
from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.channels.ingest import Ingest
    from chalicelib.channels.sender import ChannelSender
    from chalicelib.channels.twilio.delivery import DeliveryTracker
    from chalicelib.channels.twilio.webhooks import TwilioWebhooks
    from chalicelib.store.dedupe import DedupeStore


class TwilioProvider(Core):
    """One Twilio sender for SMS and WhatsApp; the webhooks; delivery statuses."""

    if TYPE_CHECKING:  # from other providers

        @property
        def ingest(self) -> Ingest: ...

        @property
        def dedupe(self) -> DedupeStore: ...

    @cached_property
    def twilio_senders(self) -> dict[Channel, ChannelSender]:
        """One Twilio sender for SMS and WhatsApp (its REST API built on the first send)."""
        from chalicelib.channels.twilio.delivery import SidClaimStore
        from chalicelib.channels.twilio.outbound import TwilioSender

        s = self.settings
        sender = TwilioSender(
            account_sid=s.twilio_account_sid,
            auth_token=s.twilio_auth_token,
            sms_from=s.twilio_sms_from or None,
            whatsapp_from=s.twilio_whatsapp_from or None,
            public_base_url=s.public_base_url,
            api_base_url=s.twilio_api_base_url,
            claims=SidClaimStore(self.table),
            claim_with_status=True,  # the outbox's status write claims it (self.delivery)
        )
        return {Channel.SMS: sender, Channel.WHATSAPP: sender}

    @cached_property
    def delivery(self) -> DeliveryTracker:
        """Provider ids of sent messages, and delivery statuses that only move forward."""
        from chalicelib.channels.twilio.delivery import DeliveryTracker

        return DeliveryTracker(self.table)

    @cached_property
    def twilio_webhooks(self) -> TwilioWebhooks:
        """The Twilio webhooks: signature, dedupe, queue; status callbacks."""
        from chalicelib.channels.twilio.webhooks import TwilioWebhooks

        s = self.settings
        return TwilioWebhooks(
            s.twilio_auth_token, s.public_base_url, self.ingest, self._delivery_tracker
        )

    def _delivery_tracker(self) -> DeliveryTracker:
        """The delivery tracker, built on a status callback's first use (not an inbound's)."""
        return self.delivery
