"""What may be sent, checked in the outbox for every send: opt-outs, and WhatsApp's 24-hour window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.channels.twilio.channel import WhatsAppSendMode, whatsapp_send_mode
from chalicelib.config.store_sections import WhatsAppTemplates
from chalicelib.domain.conversations import Conversation
from chalicelib.domain.messages import Channel, OutboundMessage, utcnow
from chalicelib.runtime.observability import logger
from chalicelib.runtime.patterns import lazy
from chalicelib.store.consent import ConsentStore, is_opted_out

OPTED_OUT = "skipped_opted_out"
OPT_OUT_MEDIA = {Channel.SMS: "sms", Channel.WHATSAPP: "whatsapp"}
# Refusals that mean the address unsubscribed with the carrier (Twilio 21610: the customer texted
# STOP to our number, so the carrier blocks us until they text START).
UNSUBSCRIBED = {Channel.SMS: {"21610"}}
TEMPLATE_VALUE_LIMIT = 1000
# The meta keys that choose and fill a WhatsApp template: whoever builds a message sets these.
TEMPLATE_PURPOSE = "template_purpose"
TEMPLATE_VALUES = "template_values"
_RUNS_OF_SPACE = lazy(r"\s+")


@dataclass(frozen=True)
class Verdict:
    """The message to send as it may go out, or the status recording why it does not."""

    outbound: OutboundMessage | None = None
    skipped: str | None = None


class SendPolicy:
    """Checks each outbound message against the customer's opt-outs and the WhatsApp window."""

    def __init__(
        self,
        consent: ConsentStore,
        templates: WhatsAppTemplates,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.consent = consent
        self.templates = templates
        self.clock = clock

    def review(
        self,
        conversation: Conversation,
        outbound: OutboundMessage,
        profile: dict[str, Any] | None = None,
    ) -> Verdict:
        """Refuse an opted-out address; outside the WhatsApp window, swap text for a template.

        `profile`: the customer's profile as read in the same turn; read here when not given.
        """
        medium = OPT_OUT_MEDIA.get(outbound.channel)
        if medium is None or not conversation.customer_id:
            return Verdict(outbound)
        if profile is None:
            profile = self.consent.profile(conversation.customer_id)
        # The confirmation of an opt-out is the one message an opted-out address still gets.
        if is_opted_out(profile, medium) and not outbound.meta.get("compliance"):
            return Verdict(skipped=OPTED_OUT)
        if outbound.channel is Channel.WHATSAPP and self._window_closed(conversation):
            return Verdict(self._as_template(outbound, profile))
        return Verdict(outbound)

    def refused(self, conversation: Conversation, provider_code: str | None) -> None:
        """Record an opt-out when the provider refused because the address unsubscribed.

        Later sends are then skipped by policy, as after a STOP we saw, instead of each being
        refused by the provider; the customer's START gives consent back as usual.
        """
        medium = OPT_OUT_MEDIA.get(conversation.channel)
        unsubscribed = provider_code in UNSUBSCRIBED.get(conversation.channel, set())
        if medium is None or not unsubscribed or not conversation.customer_id:
            return
        self.consent.record(conversation.customer_id, medium, True)
        logger.info(
            "consent changed", extra={"reason": f"provider {provider_code}", "medium": medium}
        )

    def _window_closed(self, conversation: Conversation) -> bool:
        """True when only an approved template may go out now."""
        last = conversation.last_customer_at
        last_at = datetime.fromisoformat(last.replace("Z", "+00:00")) if last else None
        return whatsapp_send_mode(last_at, self.clock()) is WhatsAppSendMode.TEMPLATE

    def _as_template(self, outbound: OutboundMessage, profile: dict[str, Any]) -> OutboundMessage:
        """The message as the store's template for its purpose (`reply` unless meta says)."""
        purpose = str(outbound.meta.get(TEMPLATE_PURPOSE) or "reply")
        template = getattr(self.templates, purpose, None) or self.templates.reply
        given = outbound.meta.get(TEMPLATE_VALUES) or {}
        known = {"first_name": profile.get("first_name") or "there", "reply_text": outbound.text}
        values = [given.get(name, known.get(name, "")) for name in template.variables]
        variables = {str(i): _template_value(v) for i, v in enumerate(values, start=1)}
        chosen = {"purpose": purpose, "content_sid": template.content_sid, "variables": variables}
        meta = {**outbound.meta, "template": chosen}
        return outbound.model_copy(update={"meta": meta})


def _template_value(value: Any) -> str:
    """A template variable as WhatsApp accepts it: one line, not empty, not too long."""
    text = _RUNS_OF_SPACE.sub(" ", str(value or "")).strip() or "-"
    return text if len(text) <= TEMPLATE_VALUE_LIMIT else text[: TEMPLATE_VALUE_LIMIT - 3] + "..."
