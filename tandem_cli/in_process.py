"""Tandem in this process: a moto server, the local Twilio fake and the app's own handlers."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from tandem_cli.transport import InProcessTransport

# The user's choices that the in-process pipeline keeps; everything else is the local stack's.
KEPT = ("AGENT_BACKEND", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "STORE_CONFIG")
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def in_process_pipeline(progress: Any = print) -> Iterator[InProcessTransport]:
    """The pipeline as the local stack wires it, without its processes; demo data seeded."""
    import logging

    from dev.atomic_moto import atomic_moto_server
    from dev.fakes.twilio_api import FakeTwilioApi
    from dev.stack import LOCAL_DEFAULTS

    saved = dict(os.environ)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's access log
    with ExitStack() as stack:
        progress("starting moto and the Twilio fake in this process...")
        moto_url = stack.enter_context(atomic_moto_server(free_port()))
        credentials = (LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"], LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"])
        twilio = stack.enter_context(FakeTwilioApi(*credentials, port=0))
        try:
            yield _wired(moto_url, twilio.base_url, progress)
        finally:
            from chalicelib import bootstrap

            bootstrap.reset(None)
            os.environ.clear()
            os.environ.update(saved)


def _wired(moto_url: str, twilio_url: str, progress: Any) -> InProcessTransport:
    """Resources created, settings set, services built, store config and demo shopper seeded."""
    import boto3
    from chalice.test import Client

    from chalicelib import bootstrap
    from chalicelib.commerce.knowledge_api import seed_store_config
    from chalicelib.config.settings_check import checked_settings
    from dev import resources
    from dev.emulators import SqsEventSource
    from dev.seed import demo_events
    from dev.stack import LOCAL_DEFAULTS

    progress("creating the table and queues...")
    env = {**LOCAL_DEFAULTS, "AWS_ENDPOINT_URL": moto_url, "TWILIO_API_BASE_URL": twilio_url}
    kept = {k: v for k, v in os.environ.items() if k in KEPT}
    quiet = {"POWERTOOLS_METRICS_DISABLED": "true", "LOG_LEVEL": "WARNING"}
    env |= {"PUBLIC_BASE_URL": "http://127.0.0.1:8000", **quiet, **kept}
    os.environ.update(env)
    env.update(resources.create_resources(moto_url, env["EMAIL_FROM"]))
    os.environ.update(env)
    built = bootstrap.Services(checked_settings())
    bootstrap.reset(built)
    from chalicelib.runtime.observability import logger

    logger.setLevel(built.settings.log_level)
    seed_store_config(built.store_config, built.knowledge, built.catalog)
    import app

    sqs = boto3.client("sqs", region_name=resources.REGION, endpoint_url=moto_url)
    source = SqsEventSource(sqs, env["INBOUND_QUEUE_URL"], app.inbound_worker, "inbound_worker")
    transport = InProcessTransport(env["PUBLIC_BASE_URL"], Client(app.app, project_dir=str(ROOT)))
    transport.drain = lambda: _drain(source)
    transport.extra = {"moto_url": moto_url, "env": env}
    store_key = {"X-Api-Key": LOCAL_DEFAULTS["STORE_API_KEYS"]}
    transport.request("POST", "/events", {"events": demo_events()}, headers=store_key).ok()
    progress("ready (demo shopper Ava: cust-ava, +14155550123, ava@example.com)")
    return transport


def _drain(source: Any, rounds: int = 50) -> None:
    for _ in range(rounds):
        if source.poll_once() == 0:
            return
