"""Replies in the store's brand voice: channel-appropriate length, sign-off, the holding reply."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.config.store_config import StoreConfig
from chalicelib.domain.messages import Channel, utcnow
from chalicelib.domain.sms_text import is_gsm7, to_gsm7
from chalicelib.runtime.patterns import lazy

SENTENCE_END = lazy(r"(?<=[.!?])\s+")
SIGNED_CHANNELS = {Channel.EMAIL}


def respond_by(config: StoreConfig, sla_seconds: int, now: datetime | None = None) -> datetime:
    """When a person will answer: now plus the store's SLA (or the HUMAN_SLA_SECONDS setting)."""
    seconds = config.escalation.human_sla_seconds or sla_seconds
    return (now or utcnow()) + timedelta(seconds=seconds)


def format_moment(config: StoreConfig, moment: datetime, time_zone: str | None = None) -> str:
    """A moment as a customer reads it (`Tue 14 Jan, 3:05 PM EST`): in their time zone if known,
    else the store's."""
    local = moment.astimezone(ZoneInfo(time_zone or config.business_hours.time_zone))
    hour = local.strftime("%I").lstrip("0")
    return local.strftime(f"%a %d %b, {hour}:%M %p %Z")


def holding_reply(
    config: StoreConfig,
    channel: Channel,
    sla_seconds: int,
    now: datetime | None = None,
    time_zone: str | None = None,
) -> str:
    """The short reply after an escalation, saying when a person will answer (customer's time)."""
    when = format_moment(config, respond_by(config, sla_seconds, now), time_zone)
    return fit_to_channel(config, channel, config.texts.holding_reply.replace("{respond_by}", when))


def fit_to_channel(config: StoreConfig, channel: Channel, text: str) -> str:
    """The reply cut to the channel's maximum length at a sentence end (unsigned: senders sign)."""
    limit = config.brand_voice.max_reply_chars.get(channel, 600)
    # The email sender signs every mail (docs/email.md): leave it the room, never sign here too.
    sign_off = config.brand_voice.sign_off if channel in SIGNED_CHANNELS else ""
    room = limit - (len(sign_off) + 6 if sign_off else 0)
    return _shorten(as_sent(channel, text), room)


def as_sent(channel: Channel, text: str) -> str:
    """`text` as the channel's sender will send it, so that its length is measured after that."""
    if channel is Channel.EMAIL:
        return text.strip()
    text = " ".join(text.split())
    # The SMS sender swaps typography for GSM-7 (an ellipsis becomes three dots): cut after that.
    return to_gsm7(text) if channel is Channel.SMS else text


def _shorten(text: str, limit: int) -> str:
    """`text` if it fits, else its whole sentences that fit, else a hard cut with an ellipsis."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in SENTENCE_END.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    ellipsis = "..." if is_gsm7(text) else "…"
    return kept or text[: limit - len(ellipsis)].rstrip() + ellipsis
