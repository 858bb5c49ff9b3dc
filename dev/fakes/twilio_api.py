"""A local Twilio-compatible Messages API, for tests and the local stack (never deployed).

Run by hand: `python -m dev.fakes.twilio_api --port 8011`, then point TWILIO_API_BASE_URL at it.
Messages: `POST .../Messages.json` creates one; `GET .../Messages.json?To=&From=&PageSize=` lists
them newest first, each only `list_lag` seconds after it was created (Twilio's list may lag
behind its creates). A failure with a delay and no status is Twilio accepting the message and
answering late (the message exists at once).
Control: `GET /_fake/messages`, `POST /_fake/reset`, `POST /_fake/fail` with JSON
`{"count": 1, "status": 500, "code": null, "delay": 0}`, `POST /_fake/status` with JSON
`{"sid": "SM...", "status": "delivered", "error_code": null}` to send a signed status callback.
"""

from __future__ import annotations

import argparse
import base64
import secrets
import signal
import threading
import time
from types import TracebackType
from typing import Any

from dev.fakes.twilio_http import (
    Failure,
    FakeHandler,
    FakeServer,
    message_resource,
    post_signed,
    status_callback_form,
)

DEFAULT_ACCOUNT_SID = "AC" + "0" * 32
DEFAULT_AUTH_TOKEN = "dev-twilio-auth-token"


class FakeTwilioApi:
    """A Twilio REST server on 127.0.0.1 that records every message create request."""

    def __init__(
        self,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        port: int = 0,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.requests: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.list_lag = 0.0
        self._failures: list[Failure] = []
        self._lock = threading.Lock()
        self._server = FakeServer(("127.0.0.1", port), FakeHandler, self)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """Where the server listens, e.g. `http://127.0.0.1:8011`."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeTwilioApi:
        """Serve in a daemon thread (it dies with the process even if stop() is never called)."""
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeTwilioApi:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget recorded requests, messages and pending failures."""
        with self._lock:
            self.requests.clear()
            self.messages.clear()
            self._failures.clear()
            self.list_lag = 0.0

    def fail(self, failure: Failure) -> None:
        """Make the next `failure.count` create requests fail or stall as described."""
        with self._lock:
            self._failures.extend(
                Failure(1, failure.status, failure.code, failure.delay)
                for _ in range(failure.count)
            )

    def next_failure(self) -> Failure | None:
        """The failure to apply to the request being answered, if one is pending."""
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def authorized(self, header: str | None) -> bool:
        """True for HTTP Basic credentials matching the account."""
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return secrets.compare_digest(header or "", f"Basic {expected}")

    def record(self, params: dict[str, str], status: int) -> None:
        """Remember one create request and how it was answered."""
        with self._lock:
            self.requests.append({"params": params, "status": status})

    def create_message(self, params: dict[str, str]) -> dict[str, Any]:
        """A queued message resource, as Twilio answers it, recorded in `messages`."""
        message = message_resource(self.account_sid, params)
        with self._lock:
            self.messages.append({**message, "params": params, "arrived": time.monotonic()})
        return message

    def listed(self) -> list[dict[str, Any]]:
        """The messages the list shows now, newest first: those older than `list_lag`."""
        now = time.monotonic()
        with self._lock:
            shown = [m for m in self.messages if now - m["arrived"] >= self.list_lag]
        hidden = {"params", "arrived"}
        return [{k: v for k, v in m.items() if k not in hidden} for m in reversed(shown)]

    def report_status(self, sid: str, status: str, error_code: str | None = None) -> int:
        """POST a signed status callback for message `sid` to its StatusCallback, as Twilio does."""
        message = next(m for m in self.messages if m["sid"] == sid)
        callback = message["params"].get("StatusCallback")
        if not callback:
            raise LookupError(f"message {sid} was sent without a StatusCallback")
        form = status_callback_form(self.account_sid, message, status, error_code)
        return post_signed(callback, form, self.auth_token)


def main(argv: list[str] | None = None) -> None:
    """Serve the fake in the foreground until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    args = parser.parse_args(argv)
    # Held pending from the start (the server's thread inherits the mask) and taken by sigwait: a
    # signal sent as soon as the URL is printed stops the fake cleanly, and no handler runs inside
    # a lock the main thread holds (an Event set from a handler could deadlock its own wait()).
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    fake = FakeTwilioApi(args.account_sid, args.auth_token, args.port).start()
    print(fake.base_url, flush=True)
    signal.sigwait(stop_signals)
    fake.stop()


if __name__ == "__main__":
    main()
