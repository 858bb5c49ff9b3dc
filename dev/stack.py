"""The local stack: moto server, resources, `chalice local`, emulators, demo data. `make run`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

from dev import resources

ROOT = Path(__file__).resolve().parent.parent
LOCAL_DEFAULTS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": resources.REGION,
    "AWS_REGION": resources.REGION,
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "dev-twilio-auth-token",
    "TWILIO_SMS_FROM": "+15005550006",
    "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886",
    "EMAIL_FROM": "support@northwind.example",
    "CHAT_SESSION_SECRET": "dev-chat-session-secret-change-me-please",
    "CHAT_IDENTITY_SECRET": "dev-chat-identity-secret-change-me-please",
    "CHAT_ALLOWED_ORIGINS": "*",
    "SHOPIFY_WEBHOOK_SECRET": "dev-shopify-secret",
    "SHOPIFY_SHOP_DOMAIN": "northwind.myshopify.com",
    "STORE_API_KEYS": "dev-store-key",
    "HELPDESK_API_KEYS": "dev-helpdesk-key",
}


TWILIO_FAKE_PORT = 8011


def stack_environment(port: int, moto_port: int, given: dict[str, str]) -> dict[str, str]:
    """The local defaults, overridden by whatever the stack was started with."""
    env = {**LOCAL_DEFAULTS, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    env.update({k: v for k, v in given.items() if k in LOCAL_DEFAULTS or k not in env})
    env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{moto_port}"
    if not given.get("STACK_VERBOSE"):  # CloudWatch EMF metric lines only when asked
        env.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    return env


def stop(process: subprocess.Popen[bytes], seconds: float = 10) -> None:
    """Terminate a child process; kill it when it has not exited after `seconds`."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(url: str, seconds: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until a URL answers 200, failing early if the process behind it died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class LocalStack:
    """Starts and stops every part of the local stack."""

    def __init__(self, port: int, moto_port: int, given: dict[str, str], seed_demo: bool = True):
        self.port, self.moto_port, self.seed_demo = port, moto_port, seed_demo
        self.env = stack_environment(port, moto_port, given)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.threads: list[Any] = []
        self.api_url = f"http://127.0.0.1:{port}"
        self.moto_url = f"http://127.0.0.1:{moto_port}"
        self.twilio_fake: Any = None

    def start(self) -> None:
        """Start moto, create resources, start the API and the emulators, seed."""
        self._start_twilio_fake(given_twilio_url=self.env.get("TWILIO_API_BASE_URL"))
        os.environ.update(self.env)
        moto = [sys.executable, "-m", "dev.atomic_moto", "-p", str(self.moto_port)]
        self._spawn(moto)
        wait_for(f"{self.moto_url}/moto-api/data.json", 30, self.processes[-1])
        self.env.update(resources.create_resources(self.moto_url, self.env["EMAIL_FROM"]))
        os.environ.update(self.env)
        # `chalice local`, plus request lines, readable logs and 404s in the contract's shape.
        api = [
            sys.executable,
            "-m",
            "dev.local_api",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        self._spawn([*api, "--stage", "dev"], shown=True)
        self._start_emulators()
        wait_for(f"{self.api_url}/health", 60, self.processes[-1])
        from dev.seed import seed_store_config

        seed_store_config()
        if self.seed_demo:
            from dev.seed import seed

            seed(self.api_url, self.env["STORE_API_KEYS"].split(",")[0])

    def _start_twilio_fake(self, given_twilio_url: str | None) -> None:
        """A local Twilio REST API to send to, unless TWILIO_API_BASE_URL was given (issue 3)."""
        if given_twilio_url:
            return
        from dev.fakes.twilio_api import FakeTwilioApi

        credentials = (self.env["TWILIO_ACCOUNT_SID"], self.env["TWILIO_AUTH_TOKEN"])
        port = int(self.env.get("TWILIO_FAKE_PORT") or TWILIO_FAKE_PORT)
        try:
            self.twilio_fake = FakeTwilioApi(*credentials, port=port).start()
        except OSError:  # the usual port is taken (another stack): any free one will do
            self.twilio_fake = FakeTwilioApi(*credentials, port=0).start()
        self.env["TWILIO_API_BASE_URL"] = self.twilio_fake.base_url

    def _spawn(self, command: list[str], shown: bool = False) -> None:
        """Start a child; moto's own access log only with STACK_VERBOSE=1, the API's always."""
        output = None if shown or os.environ.get("STACK_VERBOSE") else subprocess.DEVNULL
        # Own session: Ctrl+C reaches only the stack, which stops its children in order.
        env = {**os.environ, **self.env}
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
        self.processes.append(process)

    def _start_emulators(self) -> None:
        """Lambda's SQS event sources and the scheduler, invoking the app's own handlers in-process."""
        import boto3

        sys.path.insert(0, str(ROOT))
        import app as tandem
        from dev.local_api import readable_logs

        readable_logs()  # the workers run here: their log as readable lines too
        from dev.emulators import RateRule, SchedulerEmulator, SqsEventSource

        sqs = boto3.client("sqs", region_name=resources.REGION, endpoint_url=self.moto_url)
        sources = {
            "INBOUND_QUEUE_URL": "inbound_worker",
            "INBOUND_EMAIL_QUEUE_URL": "inbound_email",
        }
        for setting, function in sources.items():
            handler = getattr(tandem, function, None)
            if handler is not None:
                self.threads.append(SqsEventSource(sqs, self.env[setting], handler, function))
        scheduler = boto3.client(
            "scheduler", region_name=resources.REGION, endpoint_url=self.moto_url
        )
        functions = {
            name: getattr(tandem, name) for name in ("send_followup",) if hasattr(tandem, name)
        }
        self.threads.append(SchedulerEmulator(scheduler, resources.SCHEDULE_GROUP, functions))
        # Locally the idle sweep runs every minute (15 on AWS), so short idle times can be tried.
        self.threads.append(RateRule("resolve_idle", tandem.resolve_idle, 60))
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        """Stop the emulators and every process started."""
        for thread in self.threads:
            thread.stop()
        for thread in self.threads:  # let a poll in flight finish while moto is still up
            thread.join(timeout=3)
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.twilio_fake is not None:
            self.twilio_fake.stop()


def checked_ports() -> tuple[int, int]:
    """The API and moto ports once settings and ports are good; else one line each and exit 2."""
    from chalicelib.config.settings_check import SettingsError
    from dev.preflight import preflight

    try:
        return preflight(os.environ, stack_environment(0, 0, dict(os.environ)))
    except SettingsError as error:
        for line in error.lines:
            print(f"tandem: {line}", file=sys.stderr)
        raise SystemExit(2) from None


def main() -> None:
    """`make run`: start everything, print the URLs, run until SIGINT or SIGTERM."""
    port, moto_port = checked_ports()
    stack = LocalStack(port, moto_port, dict(os.environ), os.environ.get("SEED_DEMO", "1") != "0")
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    try:
        stack.start()
        print_banner(stack)
        stopped.wait()
    finally:
        print("Stopping the local stack...", flush=True)
        stack.stop()


def print_banner(stack: LocalStack) -> None:
    """What is running and how to talk to it."""
    from chalicelib.config.settings_check import agent_summary, checked_settings
    from dev.seed import identity_token

    agent = agent_summary(checked_settings(stack.env))
    token = identity_token(stack.env["CHAT_IDENTITY_SECRET"])
    print(
        f"""
Tandem local stack is ready.
  API          {stack.api_url}   (GET /health)
  moto         {stack.moto_url}   (AWS endpoint; GET /moto-api/data.json)
  Web chat     {stack.api_url}/chat/demo
  As Ava       {stack.api_url}/chat/demo?identity_token={token}
  Twilio API   {stack.env["TWILIO_API_BASE_URL"]}   {_twilio_note(stack)}
  Twilio hooks {stack.env["PUBLIC_BASE_URL"]}/webhooks/twilio   (signed with TWILIO_AUTH_TOKEN)
  Store key    X-Api-Key: {stack.env["STORE_API_KEYS"].split(",")[0]}
  Helpdesk key X-Api-Key: {stack.env["HELPDESK_API_KEYS"].split(",")[0]}
  Agent        {agent}
Press Ctrl+C to stop.""",
        flush=True,
    )


def _twilio_note(stack: LocalStack) -> str:
    """How to see what the local stack sent through Twilio."""
    return "(local fake: GET /_fake/messages)" if stack.twilio_fake else "(TWILIO_API_BASE_URL)"


if __name__ == "__main__":
    main()
