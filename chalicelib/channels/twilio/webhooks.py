"""Twilio's webhooks: signed form posts in, acknowledged at once; the agent runs from the queue."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from chalicelib.channels.ingest import Accepted
from chalicelib.channels.twilio.inbound import parse_record, verify_signature
from chalicelib.domain.errors import BadRequestError, ForbiddenError, PayloadTooLargeError
from chalicelib.runtime.observability import logger

if TYPE_CHECKING:
    from chalicelib.channels.ingest import Ingest
    from chalicelib.channels.twilio.delivery import DeliveryTracker

INBOUND_PATH = "/webhooks/twilio"
STATUS_PATH = "/webhooks/twilio/status"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
TWIML_CONTENT_TYPE = "text/xml"
MAX_FORM_BYTES = 64 * 1024  # a Twilio message form is a few KB; 1,600 characters of body at most


def parse_form(raw: bytes | None, max_bytes: int = MAX_FORM_BYTES) -> dict[str, str]:
    """A form-encoded body as a dict (the last value of a repeated name); 400/413 when unusable."""
    raw = raw or b""
    if len(raw) > max_bytes:
        raise PayloadTooLargeError(f"the form must be at most {max_bytes} bytes", field="body")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestError("the form is not UTF-8", field="body") from None
    return dict(parse_qsl(text, keep_blank_values=True))


class TwilioWebhooks:
    """Verifies Twilio's signature, then hands inbound messages to ingest and statuses to delivery."""

    def __init__(
        self,
        auth_token: str,
        public_base_url: str,
        ingest: Ingest,
        delivery: Callable[[], DeliveryTracker],
    ) -> None:
        self.auth_token = auth_token
        self.public_base_url = public_base_url.rstrip("/")
        self.ingest = ingest
        # Built for the first status callback: an inbound message's cold start needs no tracker.
        self.delivery = delivery

    def receive(self, headers: Mapping[str, str], raw: bytes | None) -> Accepted:
        """An inbound SMS or WhatsApp message: verified, deduped, queued for the agent.

        Deduped on its MessageSid alone: Twilio's retries of a webhook carry the same MessageSid
        and the same `I-Twilio-Idempotency-Token`, so a record of the token too would only add a
        third AWS call to every message. The token is kept in the message's meta.
        """
        form = self._verified_form(INBOUND_PATH, headers, raw)
        token = (headers.get("i-twilio-idempotency-token") or "").strip()[:128] or None
        message = parse_record(form, idempotency_token=token)
        accepted = self.ingest.accept(message)
        logger.info("twilio message accepted", extra={"duplicate": accepted.duplicate})
        return accepted

    def status(self, headers: Mapping[str, str], raw: bytes | None) -> bool:
        """A status callback for a message we sent; True when it moved the message forward."""
        from chalicelib.channels.twilio.channel import parse_status_callback

        form = self._verified_form(STATUS_PATH, headers, raw)
        return self.delivery().apply(parse_status_callback(form))

    def _verified_form(
        self, path: str, headers: Mapping[str, str], raw: bytes | None
    ) -> dict[str, str]:
        """The posted form, once its X-Twilio-Signature is Twilio's for our public URL."""
        form = parse_form(raw)
        # Twilio signs the public URL it posted to: behind API Gateway that includes the stage.
        url = self.public_base_url + path
        signature = headers.get("x-twilio-signature")
        if not verify_signature(self.auth_token, url, form, signature):
            why = _rejection(self.auth_token, signature)
            logger.warning("twilio signature rejected", extra={"why": why, "url": url})
            raise ForbiddenError("the X-Twilio-Signature header is not valid for this request")
        return form


def _rejection(auth_token: str, signature: str | None) -> str:
    """Why a signature failed, for the log (never the token or the signature itself)."""
    if not auth_token:
        return "TWILIO_AUTH_TOKEN is not set"
    if not signature:
        return "X-Twilio-Signature is missing"
    return "signature does not match the URL and parameters (check PUBLIC_BASE_URL)"
