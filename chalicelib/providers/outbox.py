"""The outbox package: every send through its channel, the send policy, STOP/START/HELP."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.domain.vocabulary import Channel
from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.channels.email.threads import ThreadRecordingSender
    from chalicelib.channels.sender import ChannelSender
    from chalicelib.channels.twilio.delivery import DeliveryTracker
    from chalicelib.outbox.consent import ConsentKeywords
    from chalicelib.outbox.policy import SendPolicy
    from chalicelib.outbox.sending import Outbox
    from chalicelib.store.consent import ConsentStore
    from chalicelib.store.conversations import ConversationRepository


class OutboxProvider(Core):
    """The channel registry, the outbox, the send policy and the consent keywords."""

    if TYPE_CHECKING:  # from other providers

        @property
        def conversations(self) -> ConversationRepository: ...

        @property
        def consent(self) -> ConsentStore: ...

        @property
        def delivery(self) -> DeliveryTracker: ...

        @property
        def twilio_senders(self) -> dict[Channel, ChannelSender]: ...

        @property
        def email_sender(self) -> ThreadRecordingSender: ...

    @cached_property
    def senders(self) -> dict[Channel, ChannelSender]:
        """The channel registry: Channel -> sender."""
        if "senders" in self.overrides:
            return self.overrides["senders"]
        from chalicelib.outbox.sending import LazySender, StoredOnlySender

        registry: dict[Channel, ChannelSender] = {
            Channel.WEBCHAT: StoredOnlySender(),
            Channel.EMAIL: LazySender(lambda: self.email_sender),  # SES client on first email
        }
        registry.update(self.twilio_senders)  # issue 3
        return registry

    @cached_property
    def outbox(self) -> Outbox:
        """Every send (AI, human, follow-up) goes through it: opt-outs, the WhatsApp window."""
        from chalicelib.outbox.sending import Outbox

        return Outbox(self.conversations, self.senders, self.send_policy, self.delivery)

    @cached_property
    def send_policy(self) -> SendPolicy:
        """Opt-outs and the WhatsApp window, checked for every send."""
        from chalicelib.outbox.policy import SendPolicy

        return SendPolicy(self.consent, self.store_config.whatsapp_templates)

    @cached_property
    def keywords(self) -> ConsentKeywords:
        """STOP, START and HELP, answered by rule."""
        from chalicelib.outbox.consent import ConsentKeywords

        texts = self.store_config.texts
        return ConsentKeywords(self.consent, self.conversations, self.outbox, texts)
