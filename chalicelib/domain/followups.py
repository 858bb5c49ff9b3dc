"""Follow-ups: the record, which channel may carry one, and when quiet hours defer it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from chalicelib.domain.vocabulary import Channel

Status = Literal["scheduled", "sending", "sent", "skipped", "failed", "cancelled"]
FINAL: frozenset[str] = frozenset({"sent", "skipped", "failed", "cancelled"})
# Web chat cannot receive proactive messages: the widget only polls while the page is open.
PROACTIVE: tuple[Channel, ...] = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP)
CONSENT_KEY = {
    Channel.EMAIL: "email_marketing",
    Channel.SMS: "sms_marketing",
    Channel.WHATSAPP: "whatsapp",
}


class FollowUp(BaseModel):
    """A follow-up of one customer about one product (`FOLLOWUP#<id>` in their partition)."""

    followup_id: str
    customer_id: str
    type: str = Field(default="product_interest", description="what the follow-up is about")
    sku: str
    product_name: str = ""
    requested_channel: str = Field(description="where the customer asked")
    channel: Channel = Field(description="where the follow-up goes")
    reason: str = Field(default="", description="why it was scheduled")
    conversation_id: str | None = Field(default=None, description="the conversation it came from")
    due_at: str
    status: Status = "scheduled"
    status_reason: str = Field(default="", description="why it was skipped, cancelled or failed")
    schedule_name: str = ""
    deferrals: int = 0
    message_id: str | None = None
    created_at: str = ""
    updated_at: str = ""

    def schedule_input(self) -> dict[str, Any]:
        """The schedule's Input: enough to find the record and to tell a stale firing."""
        return {
            "followup_id": self.followup_id,
            "customer_id": self.customer_id,
            "schedule": self.schedule_name,
        }


def schedule_name(followup_id: str, deferrals: int) -> str:
    """The schedule's name, derived from the follow-up so a retried create is a no-op."""
    return f"{followup_id}-{deferrals}"


def address_for(channel: Channel, profile: dict[str, Any]) -> str | None:
    """Where a proactive message on this channel goes, from the profile; None if unknown."""
    phone = profile.get("phone")
    if channel is Channel.EMAIL:
        return profile.get("email") or None
    if channel is Channel.SMS:
        return phone or None
    if channel is Channel.WHATSAPP:
        whatsapp = profile.get("whatsapp") or (f"whatsapp:{phone}" if phone else None)
        return (
            whatsapp if not whatsapp or whatsapp.startswith("whatsapp:") else f"whatsapp:{whatsapp}"
        )
    return None


def refusal(channel: Channel, profile: dict[str, Any]) -> str | None:
    """Why a proactive message may not go on this channel (None: it may)."""
    if channel not in PROACTIVE:
        return "channel_not_proactive"
    if not address_for(channel, profile):
        return "no_address"
    if (profile.get("opt_out") or {}).get(channel.value):
        return "opted_out"
    if (profile.get("consent") or {}).get(CONSENT_KEY[channel]) is not True:
        return "no_consent"
    return None


def choose_channel(requested: str, profile: dict[str, Any]) -> Channel | None:
    """The channel the customer asked on if it may carry it, else email, SMS, WhatsApp."""
    order = [Channel(requested)] if requested in set(PROACTIVE) else []
    order += [channel for channel in PROACTIVE if channel not in order]
    return next((channel for channel in order if refusal(channel, profile) is None), None)


def quiet_until(now: datetime, start: time, end: time, zone: str) -> datetime | None:
    """The end of the quiet window `now` falls in (UTC), or None outside it; start == end: none."""
    if start == end:
        return None
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside, day = start <= clock < end, local.date()
    else:  # the window spans midnight
        inside = clock >= start or clock < end
        day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)
