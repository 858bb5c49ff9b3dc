"""How the CLI reaches Tandem: over HTTP to a running stack, or in this process on moto."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from tandem_cli.errors import CliError


@dataclass
class Answer:
    """An HTTP answer: status, parsed JSON (when it is JSON) and the raw text."""

    status: int
    text: str
    data: Any = None

    def ok(self) -> Any:
        """The JSON body of a 2xx answer, else a CliError with the contract's error message."""
        if 200 <= self.status < 300:
            return self.data
        error = (self.data or {}).get("error") if isinstance(self.data, dict) else None
        message = error.get("message") if isinstance(error, dict) else self.text[:200]
        raise CliError(f"HTTP {self.status}: {message}")


def answer(status: int, text: str) -> Answer:
    """An Answer, its body parsed when it is JSON."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    return Answer(status, text, data)


class Transport(Protocol):
    """Requests to Tandem's API; `settle()` lets queued work finish (in-process only)."""

    base_url: str

    def request(self, method: str, path: str, body: Any = None, **options: Any) -> Answer: ...

    def settle(self) -> None: ...


@dataclass
class HttpTransport:
    """A running stack (`make run`, or a deployed API) over HTTP."""

    base_url: str
    timeout: float = 30

    def request(self, method: str, path: str, body: Any = None, **options: Any) -> Answer:
        """One HTTP request; headers=, form= (a signed form) as options."""
        import requests

        headers = dict(options.get("headers") or {})
        data: Any = options.get("form")
        if body is not None:
            headers["Content-Type"], data = "application/json", json.dumps(body)
        try:
            reply = requests.request(
                method, self.base_url + path, headers=headers, data=data, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise CliError(
                f"cannot reach {self.base_url}: {type(error).__name__} (is the stack running? `make run`)"
            ) from None
        return answer(reply.status_code, reply.text)

    def settle(self) -> None:
        """A running stack works on its own."""


@dataclass
class InProcessTransport:
    """The app in this process (chalice's test client) on a moto server; queues drained here."""

    base_url: str
    client: Any
    drain: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def request(self, method: str, path: str, body: Any = None, **options: Any) -> Answer:
        """One request through the app's routes."""
        from urllib.parse import urlencode

        headers = dict(options.get("headers") or {})
        raw: bytes | str | None = None
        if body is not None:
            headers["Content-Type"], raw = "application/json", json.dumps(body)
        elif options.get("form") is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            raw = urlencode(options["form"])
        reply = self.client.http.request(method, path, headers=headers, body=raw or b"")
        return answer(reply.status_code, reply.body.decode() if reply.body else "")

    def settle(self) -> None:
        """Run the inbound worker on what the last request queued."""
        if self.drain is not None:
            self.drain()
