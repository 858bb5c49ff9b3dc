"""The Twilio channel: SMS and WhatsApp as one adapter with a medium (and WhatsApp's 24-hour window).

Inbound parsing lives in `inbound`, sending in `outbound`, SMS text rules in
`sms_text`; this module adds keywords, the WhatsApp window and status callbacks, and re-exports
the public names so callers import from one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from chalicelib.channels.twilio.inbound import (
    is_twilio_media_url,
    normalize_phone,
    parse_inbound,
    parse_sender,
    verify_signature,
)
from chalicelib.channels.twilio.outbound import (
    STATUS_CALLBACK_PATH,
    PartialSendError,
    TwilioSender,
    TwilioSendResult,
    classify_rest_error,
)
from chalicelib.domain.errors import BadRequestError
from chalicelib.runtime.patterns import lazy

__all__ = [
    "STATUS_CALLBACK_PATH",
    "Keyword",
    "PartialSendError",
    "StatusUpdate",
    "TwilioSendResult",
    "TwilioSender",
    "WhatsAppSendMode",
    "classify_keyword",
    "classify_rest_error",
    "is_twilio_media_url",
    "normalize_phone",
    "parse_inbound",
    "parse_sender",
    "parse_status_callback",
    "should_apply_status",
    "status_rank",
    "verify_signature",
    "whatsapp_send_mode",
]


class Keyword(StrEnum):
    """What a single-word compliance keyword asks for."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
        Keyword.OPT_OUT,
    ),
    **dict.fromkeys(("START", "UNSTOP", "YES"), Keyword.OPT_IN),
    **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
}
_SINGLE_WORD = lazy(r"[\W_]*([A-Za-z]+)[\W_]*")


def classify_keyword(text: str) -> Keyword | None:
    """The keyword `text` is (one word, any case, punctuation around it tolerated), or None."""
    match = _SINGLE_WORD.fullmatch(text)
    return KEYWORDS.get(match.group(1).upper()) if match else None


WHATSAPP_WINDOW = timedelta(hours=24)
# A reply decided just inside the window may reach Twilio just outside it: keep a margin.
WHATSAPP_WINDOW_MARGIN = timedelta(minutes=2)


class WhatsAppSendMode(StrEnum):
    """What WhatsApp lets us send now: free-form text inside the window, else a template."""

    FREE_FORM = "free_form"
    TEMPLATE = "template"


def whatsapp_send_mode(last_inbound_at: datetime | None, now: datetime) -> WhatsAppSendMode:
    """Free-form within 24 hours of the customer's last message, else an approved template."""
    if last_inbound_at is None:
        return WhatsAppSendMode.TEMPLATE
    closes_at = _aware(last_inbound_at) + WHATSAPP_WINDOW - WHATSAPP_WINDOW_MARGIN
    return WhatsAppSendMode.FREE_FORM if _aware(now) < closes_at else WhatsAppSendMode.TEMPLATE


def _aware(moment: datetime) -> datetime:
    """`moment` with a timezone (naive means UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Delivery only moves forward; a failure is final whatever arrives after it.
STATUS_RANKS: dict[str, int] = {
    "pending": 0,  # ours: recorded, not yet accepted by Twilio
    "accepted": 1,
    "scheduled": 1,
    "queued": 2,
    "sending": 3,
    "sent": 4,
    "delivered": 5,
    "read": 6,
    "undelivered": 7,
    "failed": 7,
    "canceled": 7,
}
_STATUS = lazy(r"[a-z_]{1,32}")


class StatusUpdate(BaseModel):
    """A Twilio status callback for a message we sent."""

    # Built on first use: the worker imports this module (delivery ranks) but reads no callback.
    model_config = ConfigDict(defer_build=True)

    message_sid: str
    status: str
    error_code: str | None = None
    recipient: str | None = None


def status_rank(status: str | None) -> int:
    """The order of `status` in a message's life; -1 for none or one we do not know."""
    return STATUS_RANKS.get(status or "", -1)


def should_apply_status(current: str | None, incoming: str) -> bool:
    """True when `incoming` moves the message forward (callbacks arrive out of order)."""
    return status_rank(incoming) > status_rank(current)


def parse_status_callback(form: Mapping[str, str]) -> StatusUpdate:
    """The posted status callback form; BadRequestError names a bad field."""
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
    if not re.fullmatch(r"[A-Z]{2}[0-9a-fA-F]{32}", sid):
        raise BadRequestError("MessageSid is missing or malformed", field="MessageSid")
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
    if not _STATUS.fullmatch(status):
        raise BadRequestError("MessageStatus is missing or malformed", field="MessageStatus")
    error_code = (form.get("ErrorCode") or "").strip() or None
    return StatusUpdate(
        message_sid=sid, status=status, error_code=error_code, recipient=form.get("To")
    )
