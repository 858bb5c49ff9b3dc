"""The HTTP side of the fake Twilio API: routes, Twilio-shaped resources and errors."""

from __future__ import annotations

import json
import re
import secrets
import sys
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import requests
from twilio.request_validator import RequestValidator

if TYPE_CHECKING:
    from dev.fakes.twilio_api import FakeTwilioApi

_MESSAGES_PATH = re.compile(r"/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json")


@dataclass
class Failure:
    """How the next matching responses misbehave: an error status and code, and/or a delay."""

    count: int = 1
    status: int | None = 500
    code: int | None = None
    delay: float = 0.0


def message_resource(account_sid: str, params: dict[str, str]) -> dict[str, Any]:
    """The JSON Twilio returns for a created message."""
    sid = "SM" + secrets.token_hex(16)
    now = formatdate(usegmt=True)
    uri = f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json"
    return {
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "body": params.get("Body", ""),
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": params.get("From"),
        "messaging_service_sid": params.get("MessagingServiceSid"),
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued",
        "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        "to": params.get("To"),
        "uri": uri,
    }


def status_callback_form(
    account_sid: str, message: dict[str, Any], status: str, error_code: str | None
) -> dict[str, str]:
    """The form Twilio posts to a message's StatusCallback."""
    form = {
        "AccountSid": account_sid,
        "ApiVersion": "2010-04-01",
        "From": message["from"] or "",
        "MessageSid": message["sid"],
        "MessageStatus": status,
        "SmsSid": message["sid"],
        "SmsStatus": status,
        "To": message["to"] or "",
    }
    return form | ({"ErrorCode": error_code} if error_code else {})


def post_signed(url: str, form: dict[str, str], auth_token: str) -> int:
    """POST `form` to `url` signed with X-Twilio-Signature, as Twilio does; the HTTP status."""
    signature = RequestValidator(auth_token).compute_signature(url, form)
    headers = {"X-Twilio-Signature": signature, "I-Twilio-Idempotency-Token": secrets.token_hex(8)}
    return requests.post(url, data=form, headers=headers, timeout=10).status_code


def _missing_parameter(params: dict[str, str]) -> tuple[int, str] | None:
    """Twilio's validation of a create request: (code, message) of the first problem."""
    if not params.get("To"):
        return 21604, "A 'To' phone number is required."
    if not params.get("From") and not params.get("MessagingServiceSid"):
        return 21603, "A 'From' phone number is required."
    if not (params.get("Body") or params.get("MediaUrl") or params.get("ContentSid")):
        return 21602, "Message body is required."
    return None


def _error(status: int, code: int | None, message: str) -> dict[str, Any]:
    """Twilio's error body."""
    more_info = f"https://www.twilio.com/docs/errors/{code}" if code else None
    return {"code": code, "message": message, "more_info": more_info, "status": status}


class FakeServer(ThreadingHTTPServer):
    """The HTTP server, holding the fake's state for its handlers."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 64  # many concurrent sends (a load or concurrency test) all connect

    def __init__(self, address: tuple[str, int], handler: type, fake: FakeTwilioApi) -> None:
        super().__init__(address, handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client gave up (a timeout test), report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeHandler(BaseHTTPRequestHandler):
    """Routes of the fake: the Messages API and the `/_fake/` controls."""

    server: FakeServer

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests read `.messages`, not the console."""

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/_fake/messages":
            fake = self.server.fake
            self._answer(200, {"messages": fake.messages, "requests": fake.requests})
        elif _MESSAGES_PATH.fullmatch(path):
            self._list(path, {k: v[-1] for k, v in parse_qs(query).items()})
        else:
            self._answer(404, _error(404, 20404, "The requested resource was not found"))

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.path == "/_fake/reset":
            self.server.fake.reset()
            self._answer(200, {"reset": True})
        elif self.path == "/_fake/fail":
            self._arm(body)
        elif self.path == "/_fake/status":
            self._report_status(body)
        else:
            self._create(
                self.path, {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
            )

    def _arm(self, body: str) -> None:
        """POST /_fake/fail: queue failures described by a JSON body."""
        try:
            self.server.fake.fail(Failure(**json.loads(body or "{}")))
        except (TypeError, ValueError) as error:
            self._answer(400, _error(400, None, f"bad failure: {error}"))
            return
        self._answer(200, {"armed": True})

    def _report_status(self, body: str) -> None:
        """POST /_fake/status: make the fake call a message's StatusCallback."""
        try:
            update = json.loads(body or "{}")
            answered = self.server.fake.report_status(
                update["sid"], update["status"], update.get("error_code")
            )
        except (KeyError, LookupError, StopIteration, TypeError, ValueError) as error:
            self._answer(400, _error(400, None, f"bad status report: {error!r}"))
            return
        self._answer(200, {"callback_status": answered})

    def _create(self, path: str, params: dict[str, str]) -> None:
        """POST Messages.json: auth, injected failures, validation, then a queued message.

        A delay without an error status is Twilio accepting the message and answering late: the
        message exists from the moment the request arrived, whether or not the client waits.
        """
        fake = self.server.fake
        match = _MESSAGES_PATH.fullmatch(path)
        failure = fake.next_failure() if self._allowed(match) else None
        status, payload = self._refusal(match, params, failure) or (201, None)
        fake.record(params, status)
        payload = payload or fake.create_message(params)
        if failure and failure.delay:
            time.sleep(failure.delay)
        self._answer(status, payload)

    def _list(self, path: str, query: dict[str, str]) -> None:
        """GET Messages.json: the account's messages, newest first, filtered by To and From."""
        fake = self.server.fake
        match = _MESSAGES_PATH.fullmatch(path)
        if not self._allowed(match):
            self._answer(*self._refusal(match, {}, None) or (404, None))
            return
        size = min(int(query.get("PageSize") or 50), 1000)
        chosen = [
            m
            for m in fake.listed()
            if all(m.get(k.lower()) == query[k] for k in ("To", "From") if query.get(k))
        ][:size]
        self._answer(200, {"messages": chosen, "page": 0, "page_size": size, "uri": path})

    def _allowed(self, match: re.Match[str] | None) -> bool:
        """True when the request names our account and carries its credentials."""
        fake = self.server.fake
        if match is None or match["account"] != fake.account_sid:
            return False
        return fake.authorized(self.headers.get("Authorization"))

    def _refusal(
        self, match: re.Match[str] | None, params: dict[str, str], failure: Failure | None
    ) -> tuple[int, Any] | None:
        """Why this create request is not answered 201, if it is not."""
        fake = self.server.fake
        if not match:
            return 404, _error(404, 20404, "The requested resource was not found")
        if not fake.authorized(self.headers.get("Authorization")):
            return 401, _error(401, 20003, "Authenticate")
        if match["account"] != fake.account_sid:
            return 404, _error(404, 20404, "The requested resource was not found")
        if failure and failure.status:
            if failure.delay:
                time.sleep(failure.delay)  # a slow refusal: nothing was created
            return failure.status, _error(failure.status, failure.code, "Injected failure")
        problem = _missing_parameter(params)
        return (400, _error(400, *problem)) if problem else None

    def _answer(self, status: int, payload: Any) -> None:
        """Send `payload` as JSON with `status`."""
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
