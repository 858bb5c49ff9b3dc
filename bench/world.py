"""The benchmarks' world: moto in this process, the app's environment, signed Twilio events."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from dev.stack import LOCAL_DEFAULTS

AVA = "+14155550123"
SAFE_ENV = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
SAFE_ENV |= {"AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_METRICS_DISABLED": "true"}


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on loopback for the duration."""
    from moto.server import ThreadedMotoServer

    os.environ.update(SAFE_ENV)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def sms_form(sid: str, text: str, sender: str = AVA) -> dict[str, str]:
    """An inbound SMS form as Twilio posts it."""
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"],
        "From": sender,
        "To": "+15005550006",
        "Body": text,
        "NumMedia": "0",
        "NumSegments": "1",
    }


def twilio_api_event(env: dict[str, str], form: dict[str, str]) -> dict[str, Any]:
    """API Gateway's proxy event for a signed Twilio webhook."""
    url = env["PUBLIC_BASE_URL"] + "/webhooks/twilio"
    signature = RequestValidator(env["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signature,
        "host": "127.0.0.1",
    }
    context = {"resourcePath": "/webhooks/twilio", "httpMethod": "POST", "path": "/webhooks/twilio"}
    return {
        "resource": "/webhooks/twilio",
        "path": "/webhooks/twilio",
        "httpMethod": "POST",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": context,
        "body": urlencode(form),
        "isBase64Encoded": False,
    }


@dataclass
class CallCounter:
    """Counts AWS calls made through boto3 clients, by service and operation."""

    calls: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attach(self, client: Any) -> None:
        """Count this client's calls."""
        client.meta.events.register("before-call.*.*", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        with self.lock:
            self.calls.append(f"{model.service_model.service_name}.{model.name}")

    def take(self) -> list[str]:
        """The calls since the last take."""
        with self.lock:
            taken, self.calls = self.calls, []
        return taken
