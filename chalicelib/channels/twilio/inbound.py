"""Twilio webhooks in: the signature check and the posted form as our `InboundMessage`."""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.inbound_record import InboundRecord, attachment
from chalicelib.domain.vocabulary import Channel, utcnow
from chalicelib.runtime.patterns import lazy

if TYPE_CHECKING:
    from chalicelib.domain.messages import InboundMessage

SOURCE = "twilio"
WHATSAPP_PREFIX = "whatsapp:"
MAX_MEDIA = 10  # Twilio delivers at most ten media per message
TWILIO_MEDIA_HOSTS = frozenset({"api.twilio.com", "mms.twiliocdn.com"})
TWILIO_MEDIA_DOMAIN = ".twiliocdn.com"
_MESSAGE_SID = lazy(r"[A-Z]{2}[0-9a-fA-F]{32}")
_CONTENT_TYPE = lazy(r"[\w.+-]+/[\w.+-]+")
_PLAIN_E164 = lazy(r"\+([1-9][0-9]{2,19})")


def verify_signature(
    auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """True when `signature` is Twilio's for the public `url` and posted `params`."""
    if not auth_token or not signature:
        return False
    # Twilio signs the public URL (with the API Gateway stage). The library's validate() also
    # accepts the URL with its port removed, whatever the port: only the scheme's default port
    # may be written or left out (Twilio signs either way), any other port must be signed.
    from twilio.request_validator import RequestValidator  # the webhook's, not the worker's

    validator, given = RequestValidator(auth_token), signature.encode("utf-8", "replace")
    return any(
        hmac.compare_digest(validator.compute_signature(signed, dict(params)).encode(), given)
        for signed in signed_urls(url)
    )


def signed_urls(url: str) -> list[str]:
    """The URL as Twilio may sign it: as is, and with its default port written or left out."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    if parts.port not in (None, default) or default is None:
        return [url]
    bare, explicit = parts._replace(netloc=host), parts._replace(netloc=f"{host}:{default}")
    return list(dict.fromkeys([url, urlunsplit(bare), urlunsplit(explicit)]))


def parse_inbound(
    form: Mapping[str, str],
    *,
    idempotency_token: str | None = None,
    received_at: datetime | None = None,
) -> InboundMessage:
    """The posted webhook form as an `InboundMessage`; BadRequestError names a bad field."""
    from chalicelib.domain.messages import InboundMessage

    record = parse_record(form, idempotency_token=idempotency_token, received_at=received_at)
    return InboundMessage(**vars(record))


def parse_record(
    form: Mapping[str, str],
    *,
    idempotency_token: str | None = None,
    received_at: datetime | None = None,
) -> InboundRecord:
    """The posted webhook form as the webhook records and queues it (no pydantic model: the
    webhook's cold start); BadRequestError names a bad field."""
    channel, sender = parse_sender(_required(form, "From"))
    return InboundRecord(
        channel=channel,
        source=SOURCE,
        external_id=_message_sid(form),
        sender=sender,
        text=message_text(form),
        received_at=received_at or utcnow(),
        verified=True,  # Twilio vouches for From (the signature proves the request is Twilio's)
        attachments=parse_media(form),
        meta=_inbound_meta(form, channel, idempotency_token),
    )


def message_text(form: Mapping[str, str]) -> str:
    """What the customer said: the Body, else a tapped button's or list item's text, else where
    they are when they shared a location."""
    for field in ("Body", "ButtonText", "ListTitle"):
        if (form.get(field) or "").strip():
            return str(form[field])
    location = shared_location(form)
    if location:
        return f"[Location shared: {location['place']}]"
    return ""


def shared_location(form: Mapping[str, str]) -> dict[str, Any] | None:
    """A WhatsApp location (Latitude, Longitude, Address, Label), or None."""
    try:
        latitude, longitude = float(form["Latitude"]), float(form["Longitude"])
    except (KeyError, ValueError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadRequestError("Latitude or Longitude is out of range", field="Latitude")
    named = ", ".join(
        v.strip() for v in (form.get("Label"), form.get("Address")) if v and v.strip()
    )
    place = named or f"{latitude:.5f}, {longitude:.5f}"
    return {"latitude": latitude, "longitude": longitude, "place": place}


def parse_sender(address: str) -> tuple[Channel, str]:
    """The medium and E.164 address (`+1...` or `whatsapp:+1...`) of a Twilio `From`/`To`."""
    is_whatsapp = address.lower().startswith(WHATSAPP_PREFIX)
    number = address[len(WHATSAPP_PREFIX) :] if is_whatsapp else address
    e164 = normalize_phone(number, field="From")
    if is_whatsapp:
        return Channel.WHATSAPP, WHATSAPP_PREFIX + e164
    return Channel.SMS, e164


def normalize_phone(number: str, *, field: str) -> str:
    """`number` in E.164 (`+14155550123`), or BadRequestError naming `field`."""
    number = number.strip()
    plain = plain_e164(number)
    if plain is not None:
        return plain
    import phonenumbers  # imported on first use: the worker imports this module but never parses

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as error:
        raise BadRequestError(f"{field} is not a phone number", field=field) from error
    if not phonenumbers.is_possible_number(parsed):
        raise BadRequestError(f"{field} is not a possible phone number", field=field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def plain_e164(number: str) -> str | None:
    """`number` when it is plainly E.164 and phonenumbers would find it a possible number (its
    table, `phone_table.py`, without importing it: tens of ms of the webhook's cold start); None
    when phonenumbers must judge it (a national prefix it may strip, a length it refuses...)."""
    match = _PLAIN_E164.fullmatch(number)
    if match is None:
        return None
    from chalicelib.channels.twilio.phone_table import CALLING_CODES

    digits = match.group(1)
    # The calling code as phonenumbers reads it: the shortest known prefix of one to three digits.
    size = next((n for n in (1, 2, 3) if int(digits[:n]) in CALLING_CODES), 0)
    if not size:
        return None
    lengths, national_prefix = CALLING_CODES[int(digits[:size])]
    national = digits[size:]
    if len(national) not in lengths or (national_prefix and re.match(national_prefix, national)):
        return None
    return number


def parse_media(form: Mapping[str, str]) -> list[dict[str, Any]]:
    """The media Twilio announced, recorded but never fetched; foreign URLs are dropped."""
    return [_attachment(form, index) for index in range(_media_count(form))]


def is_twilio_media_url(url: str) -> bool:
    """True for an https URL on a Twilio media host (the only hosts we may send credentials to)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme != "https" or parts.username or parts.password:
        return False
    return host in TWILIO_MEDIA_HOSTS or host.endswith(TWILIO_MEDIA_DOMAIN)


def _required(form: Mapping[str, str], field: str) -> str:
    """The non-blank value of `field`, or BadRequestError."""
    value = form.get(field)
    if not isinstance(value, str) or not value.strip():
        raise BadRequestError(f"{field} is required", field=field)
    return value


def _message_sid(form: Mapping[str, str]) -> str:
    """The MessageSid: the dedupe key, so it must look like one."""
    sid = _required(form, "MessageSid").strip()
    if not _MESSAGE_SID.fullmatch(sid):
        raise BadRequestError("MessageSid is malformed", field="MessageSid")
    return sid


def _media_count(form: Mapping[str, str]) -> int:
    """NumMedia as a count from 0 to MAX_MEDIA."""
    raw = (form.get("NumMedia") or "0").strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_MEDIA:
        raise BadRequestError(f"NumMedia must be 0 to {MAX_MEDIA}", field="NumMedia")
    return int(raw)


def _attachment(form: Mapping[str, str], index: int) -> dict[str, Any]:
    """Media number `index`: its content type, and its URL when the host is Twilio's."""
    content_type = (form.get(f"MediaContentType{index}") or "").strip().lower()
    if not _CONTENT_TYPE.fullmatch(content_type):
        content_type = "application/octet-stream"
    url = (form.get(f"MediaUrl{index}") or "").strip()
    return attachment(content_type=content_type, url=url if is_twilio_media_url(url) else None)


def _inbound_meta(
    form: Mapping[str, str], channel: Channel, idempotency_token: str | None
) -> dict[str, Any]:
    """The Twilio extras worth keeping on the message (empty ones left out)."""
    meta = {
        "medium": channel.value,
        "to": form.get("To"),
        "account_sid": form.get("AccountSid"),
        "messaging_service_sid": form.get("MessagingServiceSid"),
        "profile_name": form.get("ProfileName"),
        "wa_id": form.get("WaId"),
        "button_payload": form.get("ButtonPayload"),
        "location": shared_location(form),
        "idempotency_token": idempotency_token,
    }
    return {key: value for key, value in meta.items() if value}
