"""A burst of signed SMS webhooks against a running `make run` stack (loopback only, bounded).

`python -m bench.stack_burst --port 8800 --moto-port 8801 --twilio-port 8802`: posts `--messages`
webhooks (at most 5,000) from `--clients` threads, each on a new connection, as Twilio does; then,
while the stack's worker drains them, posts a probe webhook every `1/--probe-rate` s and times its
acknowledgement. It stops when the inbound queue is empty or at `--deadline` seconds (at most
1,800). Prints JSON: the burst's and the probes' ack latencies (p50/p99), replies sent, moto's resident memory (sampled each second, and its peak), and the CPU
per message of the API process (`chalice local`: the webhook handler) and of the stack's process
(the emulated worker, with its SQS poller and the fake Twilio), all read from /proc.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from twilio.request_validator import RequestValidator

from bench.world import sms_form
from dev import resources
from dev.stack import LOCAL_DEFAULTS

HOST = "127.0.0.1"  # the only host this driver talks to
MAX_MESSAGES, MAX_SECONDS = 5_000, 1_800
FORM = "application/x-www-form-urlencoded"


@dataclass
class Process:
    """A process of the stack, found by its command line in /proc; its CPU and memory."""

    pid: int

    @classmethod
    def running(cls, *words: str) -> Process:
        """The one process whose command line has every word (e.g. `dev.atomic_moto`, `8801`)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            args = [a.decode(errors="replace") for a in argv]
            if all(any(word == a or a.endswith(word) for a in args) for word in words):
                found.append(int(entry.name))
        if len(found) != 1:
            raise LookupError(f"expected one process running {words}, found {found}")
        return cls(found[0])

    def parent(self) -> Process:
        """The process that started this one."""
        return Process(int(self._stat()[1]))

    def cpu_seconds(self) -> float:
        """User plus system CPU so far (all threads)."""
        fields = self._stat()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self, key: str = "VmRSS") -> float:
        """Resident memory now (VmRSS) or at its peak (VmHWM), in MB; 0 once it has exited."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except FileNotFoundError:
            return 0.0
        for line in status.splitlines():
            if line.startswith(f"{key}:"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    def _stat(self) -> list[str]:
        return Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()


@dataclass
class Poster:
    """Posts signed inbound SMS to the stack's webhook, each on a new connection; times the acks."""

    base_url: str
    auth_token: str
    acks_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, sid: str, text: str, sender: str) -> None:
        """One webhook as Twilio sends it (signed, its idempotency token); its ack time kept."""
        form = sms_form(sid, text, sender)
        url = f"{self.base_url}/webhooks/twilio"
        signature = RequestValidator(self.auth_token).compute_signature(url, form)
        headers = {
            "Content-Type": FORM,
            "X-Twilio-Signature": signature,
            "I-Twilio-Idempotency-Token": f"idem-{sid}",
            "Connection": "close",
        }
        start = time.perf_counter()
        try:
            answer = requests.post(url, data=urlencode(form), headers=headers, timeout=30)
            status = str(answer.status_code)
        except requests.RequestException as error:
            status = type(error).__name__
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.acks_ms.append(elapsed)
            if status != "200":
                self.failures.append(status)


def percentile(values: list[float], pct: float) -> float | None:
    """The nearest-rank percentile, or None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))], 1)


def summary(acks: list[float]) -> dict[str, Any]:
    """Count, p50 and p99 of ack times in ms."""
    median = round(statistics.median(acks), 1) if acks else None
    return {"count": len(acks), "p50_ms": median, "p99_ms": percentile(acks, 99)}


def replies(twilio_url: str) -> int:
    """How many messages the stack has sent through its fake Twilio."""
    return len(requests.get(f"{twilio_url}/_fake/messages", timeout=30).json()["messages"])


@dataclass
class InboundQueue:
    """The stack's inbound FIFO queue in its moto: how many messages wait or are in flight."""

    moto_port: int

    def __post_init__(self) -> None:
        import boto3

        endpoint = f"http://{HOST}:{self.moto_port}"
        keys = {k: LOCAL_DEFAULTS[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
        self.sqs = boto3.client(
            "sqs",
            region_name=resources.REGION,
            endpoint_url=endpoint,
            aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
        )
        self.url = self.sqs.get_queue_url(QueueName=resources.INBOUND_QUEUE)["QueueUrl"]

    def pending(self) -> int:
        """Visible plus in-flight messages (the worker's backlog)."""
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        found = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=names)
        return sum(int(v) for v in found["Attributes"].values())


def message_sid(run: int, n: int) -> str:
    """A MessageSid of this run (a rerun's messages are new ones, not Twilio's retries)."""
    return f"SM{run:010d}{n:022d}"


def post_burst(poster: Poster, run: int, messages: int, conversations: int, clients: int) -> None:
    """The burst: `messages` webhooks over `conversations` senders from `clients` threads."""
    numbers = iter(range(messages))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            sender = f"+1415610{n % conversations:04d}"
            poster.post(message_sid(run, n), f"question {n}: how long does shipping take?", sender)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(options: argparse.Namespace) -> dict[str, Any]:
    """The burst, then probes while the worker drains; the figures."""
    messages, deadline_s = min(options.messages, MAX_MESSAGES), min(options.deadline, MAX_SECONDS)
    base, twilio = f"http://{HOST}:{options.port}", f"http://{HOST}:{options.twilio_port}"
    moto = Process.running("dev.atomic_moto", str(options.moto_port))
    api = Process.running("dev.local_api", "--port", str(options.port))
    stack = api.parent()
    token = os.environ.get("TWILIO_AUTH_TOKEN", LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"])
    sent_before = replies(twilio)
    cpu_before = {
        "api": api.cpu_seconds(),
        "stack": stack.cpu_seconds(),
        "moto": moto.cpu_seconds(),
    }
    rss: list[float] = []
    run_id = int(time.time())
    start = time.perf_counter()
    deadline = start + deadline_s
    burst = Poster(base, token)
    poster = threading.Thread(
        target=post_burst,
        args=(burst, run_id, messages, options.conversations, options.clients),
    )
    poster.start()
    while poster.is_alive():
        rss.append(moto.memory_mb())
        poster.join(timeout=1)
    posted_s = time.perf_counter() - start
    probes = Poster(base, token)
    queue = InboundQueue(options.moto_port)
    backlog, probe_number, next_sample = queue.pending(), 0, 0.0
    while backlog and time.perf_counter() < deadline:
        # A probe is a new shopper's message: acked like any other, answered in its own turn.
        sid = message_sid(run_id, MAX_MESSAGES + probe_number)
        probes.post(sid, "is my order shipped?", f"+1415620{probe_number % 10_000:04d}")
        probe_number += 1
        if time.perf_counter() >= next_sample:
            rss.append(moto.memory_mb())
            backlog = queue.pending()
            next_sample = time.perf_counter() + 1
        time.sleep(1 / options.probe_rate)
    wall = time.perf_counter() - start
    total = messages + probe_number
    cpu = {
        "api": api.cpu_seconds() - cpu_before["api"],
        "stack": stack.cpu_seconds() - cpu_before["stack"],
        "moto": moto.cpu_seconds() - cpu_before["moto"],
    }
    return {
        "messages": messages,
        "conversations": options.conversations,
        "clients": options.clients,
        "posted_in_s": round(posted_s, 1),
        "burst_acks": summary(burst.acks_ms),
        "burst_failures": len(burst.failures),
        "probe_acks_while_draining": summary(probes.acks_ms),
        "probe_failures": len(probes.failures),
        "replies_sent": replies(twilio) - sent_before,  # a turn answers a group's messages at once
        "messages_posted": total,
        "drained": queue.pending() == 0,
        "seconds": round(wall, 1),
        "moto_rss_mb_max_sampled": max(rss, default=0.0),
        "moto_rss_mb_end": moto.memory_mb(),
        "moto_peak_rss_mb": moto.memory_mb("VmHWM"),
        "webhook_cpu_ms_per_message": round(cpu["api"] * 1000 / total, 2),
        "worker_cpu_ms_per_message": round(cpu["stack"] * 1000 / total, 2),
        "moto_cpu_ms_per_message": round(cpu["moto"] * 1000 / total, 2),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> None:
    """Parse, run, print JSON (and write it to --out if given)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="the stack's API port (PORT)")
    parser.add_argument("--moto-port", type=int, default=5000)
    parser.add_argument("--twilio-port", type=int, default=8011, help="TWILIO_FAKE_PORT")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--probe-rate", type=float, default=1.0, help="probes per second")
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds, at most 1,800")
    parser.add_argument("--out", type=Path, default=None)
    options = parser.parse_args(argv)
    text = json.dumps(run(options), indent=2)
    print(text)
    if options.out:
        options.out.write_text(text)


if __name__ == "__main__":
    main()
