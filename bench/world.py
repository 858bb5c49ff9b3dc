"""The benchmarks' world: moto in its own process, the app's environment, signed Twilio events."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from dev.fakes.twilio_api import FakeTwilioApi
from dev.stack import LOCAL_DEFAULTS, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent
AVA = "+14155550123"
SAFE_ENV = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
SAFE_ENV |= {"AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_METRICS_DISABLED": "true"}


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MotoProcess:
    """A moto server running as its own process: its URL, and its CPU and memory from /proc."""

    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User plus system CPU the server has used so far (all its threads)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory so far (VmHWM), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0


@contextmanager
def moto_server() -> Iterator[MotoProcess]:
    """moto's server (bench/moto_process.py) on a free loopback port for the duration, then stopped.

    Its own process, not a thread of ours: the app's CPU and moto's are measured apart, and moto's
    memory is not ours.
    """
    os.environ.update(SAFE_ENV)
    port = free_port()
    command = [sys.executable, "-m", "bench.moto_process", "-p", str(port)]
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=quiet, stderr=quiet, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/moto-api/data.json", 30, process)
        yield MotoProcess(url, process.pid)
    finally:
        stop(process)


class TimedTwilioApi(FakeTwilioApi):
    """The fake Twilio API, noting when each message create request reached it (perf_counter)."""

    def __init__(self) -> None:
        super().__init__(LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"], LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"])
        self.received_at: dict[str, float] = {}

    def create_message(self, params: dict[str, str]) -> dict[str, Any]:
        """Twilio's answer, as the fake gives it, timed."""
        at = time.perf_counter()
        message = super().create_message(params)
        self.received_at[message["sid"]] = at
        return message


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


def twilio_api_event(
    env: dict[str, str], form: dict[str, str], token: str | None = None
) -> dict[str, Any]:
    """API Gateway's proxy event for a signed Twilio webhook (with Twilio's idempotency token)."""
    url = env["PUBLIC_BASE_URL"] + "/webhooks/twilio"
    signature = RequestValidator(env["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signature,
        "host": "127.0.0.1",
    }
    if token:
        headers["i-twilio-idempotency-token"] = token
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
    """Counts AWS calls made through boto3 clients, by service and operation.

    A transaction counts as one call; the items it writes are kept apart (`transact_items`),
    since DynamoDB bills a transaction per item.
    """

    calls: list[str] = field(default_factory=list)
    transact_items: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attach(self, client: Any) -> None:
        """Count this client's calls."""
        client.meta.events.register("provide-client-params.*.*", self._count)

    def _count(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        with self.lock:
            self.calls.append(f"{model.service_model.service_name}.{model.name}")
            if model.name == "TransactWriteItems":
                self.transact_items.append(len(params.get("TransactItems", [])))

    def take(self) -> list[str]:
        """The calls since the last take."""
        with self.lock:
            taken, self.calls = self.calls, []
        return taken

    def take_items(self) -> list[int]:
        """The item counts of the transactions since the last take."""
        with self.lock:
            taken, self.transact_items = self.transact_items, []
        return taken
