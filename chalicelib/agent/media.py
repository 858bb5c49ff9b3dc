"""Messages the agent cannot read: photos, voice notes and videos go to a person; a location is
acknowledged. Wraps any backend (the model sees text only)."""

from __future__ import annotations

from chalicelib.agent.base import Agent, Escalation, Reason, TurnContext, TurnResult
from chalicelib.agent.voice import holding_reply
from chalicelib.config.store_config import StoreConfig
from chalicelib.domain.conversations import StoredMessage

KINDS = {"image/": "a photo", "audio/": "a voice note", "video/": "a video"}


def unreadable_media(messages: list[StoredMessage]) -> list[str]:
    """What the customer sent that only a person can look at (`a photo`, `a voice note`)."""
    found = []
    for message in messages:
        for attachment in message.attachments:
            kind = str(attachment.get("content_type") or "")
            found += [name for prefix, name in KINDS.items() if kind.startswith(prefix)]
    return list(dict.fromkeys(found))


def only_a_location(messages: list[StoredMessage]) -> str | None:
    """The place, when the new messages are nothing but a shared location."""
    places = [m.meta["location"]["place"] for m in messages if m.meta.get("location")]
    spoken = [m for m in messages if not m.meta.get("location") and m.text.strip()]
    return places[-1] if places and not spoken else None


class MediaAwareAgent:
    """Hands media to a person and acknowledges locations; everything else goes to `inner`."""

    def __init__(self, inner: Agent, config: StoreConfig, sla_seconds: int) -> None:
        self.inner = inner
        self.config = config
        self.sla_seconds = sla_seconds

    def respond(self, context: TurnContext) -> TurnResult:
        """The inner agent's answer, unless the customer sent media or only a location."""
        media = unreadable_media(context.new_messages)
        if media:
            return self._to_a_person(context, " and ".join(media))
        place = only_a_location(context.new_messages)
        if place:
            reply = f"Thanks, we have the location you shared: {place}. How can we help with it?"
            return TurnResult(reply, intent="location")
        return self.inner.respond(context)

    def _to_a_person(self, context: TurnContext, what: str) -> TurnResult:
        """The holding reply, and an escalation saying what a person needs to look at."""
        zone = context.conversation.meta.get("time_zone")
        reply = holding_reply(self.config, context.channel, self.sla_seconds, time_zone=zone)
        reason = Reason(
            "low_confidence", f"the customer sent {what}: the assistant reads text only"
        )
        summary = f"The customer sent {what} (in the transcript's attachments): please look at it."
        escalation = Escalation([reason], summary=summary, suggested_next_step="Open the media.")
        return TurnResult(reply, escalation=escalation, intent="media")
