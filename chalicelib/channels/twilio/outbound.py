"""Twilio out: `OutboundMessage` to the REST API (SMS split in parts, WhatsApp text or template)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.channels.twilio.lookup import accepted_sid
from chalicelib.domain.errors import PermanentSendError, TransientError
from chalicelib.domain.messages import Channel, OutboundMessage, SendResult
from chalicelib.domain.sms_text import split_sms, truncate
from chalicelib.runtime.observability import logger
from chalicelib.runtime.retry import retried

if TYPE_CHECKING:
    from chalicelib.channels.twilio.rest_api import TwilioRestApi

DEFAULT_API_BASE_URL = "https://api.twilio.com"
STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
WHATSAPP_PREFIX = "whatsapp:"
# The Messages create's parameters as the API names them (twilio's MessageList.create sends these).
FORM_FIELDS = {
    "to": "To",
    "from_": "From",
    "body": "Body",
    "status_callback": "StatusCallback",
    "content_sid": "ContentSid",
    "content_variables": "ContentVariables",
}


class TwilioSendResult(SendResult):
    """A send's result with the Sid of every part (a long SMS goes out as several messages).

    `claims`: Sids Twilio answered with that are not claimed yet (Sid -> owner), when the sender
    leaves its last part's claim to the write that records the send (`claim_with_status`).
    """

    part_ids: list[str] = []
    claims: dict[str, str] = {}


LOOKUP_SECONDS = 4.0  # how long a timed-out create keeps looking for what Twilio accepted
FIRST_LOOK_AFTER = 0.25  # then twice as long between looks (Twilio's list may lag)
# A retry creates again only once an unconfirmed try is this old: by then Twilio lists it if it
# made it (its list lags by seconds, not a minute). Sooner, the retry waits for the next one.
SETTLE_SECONDS = 60.0


class PartialSendError(TransientError):
    """Some parts went out, or the next one may have (a timeout): the retry sends only the rest.

    `unconfirmed_since`: when a create that timed out started; nothing Twilio lists was found for
    it yet, so the retry looks again (from then) before creating that part.
    """

    def __init__(
        self, message: str, *, sent_part_ids: list[str], unconfirmed_since: str | None = None
    ) -> None:
        super().__init__(message)
        self.sent_part_ids = list(sent_part_ids)
        self.unconfirmed_since = unconfirmed_since


class UnconfirmedSendError(TransientError):
    """A create timed out and Twilio lists no message it made (yet)."""

    def __init__(self, message: str, since: datetime) -> None:
        super().__init__(message)
        self.since = since


class SidClaims(Protocol):
    """Each Twilio message belongs to one part of one outbox message (a conditional write)."""

    def claim(self, sid: str, owner: str) -> bool:
        """Make `owner` the Sid's one owner; False when another owner has it."""
        ...


class TwilioSender:
    """Sends SMS and WhatsApp messages through Twilio's REST API, with a timeout."""

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sms_from: str | None,
        whatsapp_from: str | None,
        public_base_url: str | None,
        api_base_url: str = DEFAULT_API_BASE_URL,
        timeout_seconds: float = 10.0,
        claims: SidClaims | None = None,
        lookup_seconds: float = LOOKUP_SECONDS,
        settle_seconds: float = SETTLE_SECONDS,
        claim_with_status: bool = False,
    ) -> None:
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._senders = {Channel.SMS: sms_from, Channel.WHATSAPP: _whatsapp_address(whatsapp_from)}
        self._status_callback = (
            public_base_url.rstrip("/") + STATUS_CALLBACK_PATH if public_base_url else None
        )
        self._api_base_url = api_base_url.rstrip("/")
        self._messages_uri = f"/Accounts/{account_sid}/Messages.json"
        self._timeout_seconds = timeout_seconds
        self._claims = claims
        # The last part's Sid claimed in the outbox's status write (one AWS call less a send):
        # only where that write is made (DeliveryTracker.advance with `claims`).
        self._claim_with_status = claim_with_status and claims is not None
        self._lookup_seconds = lookup_seconds
        self._settle = timedelta(seconds=settle_seconds)
        self._client: TwilioRestApi | None = None
        self._building = threading.Lock()
        self._warming: threading.Thread | None = None

    def warm(self) -> None:
        """Build the REST client in the background, while a turn waits on its storage calls."""
        if self._client is None and self._warming is None:
            self._warming = threading.Thread(target=self._warm, name="twilio-client", daemon=True)
            self._warming.start()

    def _warm(self) -> None:
        with contextlib.suppress(Exception):  # the first send builds it again, and says why
            self._rest_client()

    def send(self, message: OutboundMessage) -> TwilioSendResult:
        """Send `message`; TransientError is worth a retry, PermanentSendError is not.

        `meta["sent_part_ids"]` (from a PartialSendError) skips the SMS parts already sent;
        `meta["unconfirmed_since"]` makes the next part look for a message Twilio made first.
        """
        sender = self._sender_for(message.channel)
        payloads = _payloads(message)
        if not payloads:
            raise PermanentSendError("nothing to send: the message is empty")
        sids = list(message.meta.get("sent_part_ids") or [])[: len(payloads)]
        unsure = message.meta.get("unconfirmed_since")
        unclaimed: dict[str, str] = {}
        for index in range(len(sids), len(payloads)):
            form = self._form(to=_recipient(message), from_=sender, **payloads[index])
            owner = f"{message.conversation_id}/{message.message_id}#{len(sids)}"
            later = self._claim_with_status and index == len(payloads) - 1
            sids.append(self._create_part(sids, form, owner, unsure, unclaimed if later else None))
            unsure = None
        return TwilioSendResult(
            provider_id=sids[0], status="queued", part_ids=sids, claims=unclaimed
        )

    def _create_part(
        self,
        sent: list[str],
        form: dict[str, str],
        owner: str,
        unsure: str | None,
        unclaimed: dict[str, str] | None = None,
    ) -> str:
        """One more part (found first when an earlier try may have made it); a transient
        failure says which parts went out and since when the next one is unconfirmed. With
        `unclaimed`, a Sid Twilio answered with is put there instead of claimed."""
        try:
            if unsure:
                earlier = datetime.fromisoformat(unsure.replace("Z", "+00:00"))
                found = self._look_up(form, earlier, owner)
                if found:
                    return found
                if datetime.now(UTC) - earlier < self._settle:
                    raise UnconfirmedSendError("an earlier try may still show at Twilio", earlier)
            return self._create(form, owner, unclaimed)
        except UnconfirmedSendError as error:
            since = error.since.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            raise PartialSendError(
                error.message, sent_part_ids=sent, unconfirmed_since=since
            ) from error
        except TransientError as error:
            if not sent and not unsure:
                raise
            raise PartialSendError(
                error.message, sent_part_ids=sent, unconfirmed_since=unsure
            ) from error

    def _sender_for(self, channel: Channel) -> str:
        """Our number for `channel`, or PermanentSendError when Twilio does not carry it."""
        sender = self._senders.get(channel)
        if not sender:
            raise PermanentSendError(f"no Twilio sender configured for {channel.value}")
        return sender

    def _form(self, **params: str) -> dict[str, str]:
        """The create's form fields, as the API names them, with our status callback."""
        if self._status_callback:
            params["status_callback"] = self._status_callback
        return {FORM_FIELDS[name]: value for name, value in params.items()}

    def _create(
        self, form: dict[str, str], owner: str, unclaimed: dict[str, str] | None = None
    ) -> str:
        """One create of a Message resource, its Sid claimed (or left in `unclaimed` for the
        status write); provider failures mapped."""
        from chalicelib.channels.twilio.rest_api import (
            TwilioApiError,
            TwilioTimeout,
            TwilioUnreachable,
        )

        started = datetime.now(UTC)
        try:
            created = self._rest_client().create(self._messages_uri, form)
        except TwilioApiError as error:
            raise classify_rest_error(error.status, error.code, error.msg) from error
        except TwilioTimeout as error:  # sent, no answer: Twilio may have accepted it
            return self._found_after_timeout(form, started, owner, error)
        except TwilioUnreachable as error:  # connection refused: never reached Twilio
            raise TransientError(f"Twilio unreachable: {error}") from error
        sid = str(created["sid"])
        if unclaimed is not None:
            unclaimed[sid] = owner
        else:
            self._claim_answered(sid, owner)
        return sid

    def _found_after_timeout(
        self, form: dict[str, str], started: datetime, owner: str, error: Exception
    ) -> str:
        """What a timed-out create made; unconfirmed (the retry looks first) when none is found,
        also when the look-up itself failed."""
        try:
            found = self._look_up(form, started, owner)
        except TransientError as failed:
            raise UnconfirmedSendError(failed.message, started) from error
        if found is None:
            raise UnconfirmedSendError("Twilio timed out; no message found", started) from error
        return found

    def _claim_answered(self, sid: str, owner: str) -> None:
        """Claim a Sid Twilio answered with: it is sent whatever happens to the claim."""
        if self._claims is not None:
            claim_answered(self._claims, sid, owner)

    def _look_up(self, form: dict[str, str], since: datetime, owner: str) -> str | None:
        """A message Twilio made for `form` since `since`, claimed for `owner`; looked for
        again and again (Twilio's list may lag) until the deadline, then None."""
        from chalicelib.channels.twilio.rest_api import (
            TwilioApiError,
            TwilioTimeout,
            TwilioUnreachable,
        )

        failures = (TwilioApiError, TwilioTimeout, TwilioUnreachable)
        claims = self._claims
        claim = (lambda sid: claims.claim(sid, owner)) if claims else None
        deadline, pause = time.monotonic() + self._lookup_seconds, FIRST_LOOK_AFTER
        while True:
            try:
                sid = accepted_sid(self._rest_client(), self._messages_uri, form, since, claim)
            except failures as lookup:
                raise TransientError(f"Twilio look-up failed: {type(lookup).__name__}") from None
            left = deadline - time.monotonic()
            if sid is not None or left <= 0:
                return sid
            time.sleep(min(pause, left))
            pause *= 2

    def _rest_client(self) -> TwilioRestApi:
        """Twilio's 2010-04-01 API for the account, built on first use (rest_api.py: the
        requests twilio's client sends, without its imports)."""
        from chalicelib.channels.twilio.rest_api import TwilioRestApi

        with self._building:
            if self._client is None:
                self._client = TwilioRestApi(
                    self._account_sid, self._auth_token, self._api_base_url, self._timeout_seconds
                )
            return self._client


def claim_answered(claims: SidClaims, sid: str, owner: str) -> None:
    """Claim a Sid Twilio answered with for `owner`; a failure is logged, never raised (the
    message went out whatever happens to the claim)."""
    try:
        mine = retried(lambda: claims.claim(sid, owner))
    except TransientError:
        logger.warning("the Sid of a sent message could not be claimed")
        return
    if not mine:  # only a look-up of an identical message, landing before this answer
        logger.error("a look-up claimed the Sid Twilio answered for this message")


def classify_rest_error(
    status: int, code: int | None, detail: str
) -> TransientError | PermanentSendError:
    """5xx and throttling are transient; any other 4xx (21610, 21211, 63016...) is permanent."""
    if status >= 500 or status == 429:
        return TransientError(f"Twilio answered {status}: {detail}")
    provider_code = str(code) if code is not None else str(status)
    return PermanentSendError(
        f"Twilio refused the message ({provider_code}): {detail}", provider_code=provider_code
    )


def _payloads(message: OutboundMessage) -> list[dict[str, str]]:
    """The create() parameters of each message to send: SMS parts, or one WhatsApp message."""
    if message.channel is not Channel.WHATSAPP:
        return [{"body": part} for part in split_sms(message.text)]
    template = message.meta.get("template")
    if template:
        return [_template_payload(template)]
    body = truncate(message.text.strip())
    return [{"body": body}] if body else []


def _template_payload(template: Any) -> dict[str, str]:
    """An approved WhatsApp template: ContentSid plus JSON ContentVariables."""
    content_sid = str(template.get("content_sid") or "") if isinstance(template, dict) else ""
    if not content_sid.startswith("HX"):
        raise PermanentSendError("WhatsApp template needs a content_sid (HX...)")
    variables = template.get("variables") or {}
    return {"content_sid": content_sid, "content_variables": json.dumps(variables)}


def _recipient(message: OutboundMessage) -> str:
    """The customer's address as Twilio wants it for the channel."""
    if message.channel is Channel.WHATSAPP:
        return WHATSAPP_PREFIX + message.recipient.removeprefix(WHATSAPP_PREFIX)
    return message.recipient


def _whatsapp_address(address: str | None) -> str | None:
    """`address` with the `whatsapp:` prefix Twilio needs on both ends."""
    if not address or address.startswith(WHATSAPP_PREFIX):
        return address
    return WHATSAPP_PREFIX + address
