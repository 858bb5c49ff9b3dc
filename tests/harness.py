"""Test harnesses: the app on moto server in-process, and the whole local stack in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import requests
from chalice.test import Client

from chalicelib import bootstrap
from chalicelib.config.settings import Settings
from chalicelib.providers.core import Overrides
from dev import resources
from dev.emulators import SqsEventSource
from dev.stack import LOCAL_DEFAULTS, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Pipeline:
    """The app wired to moto server: HTTP through chalice's test client, queues drained like Lambda."""

    client: Client
    services: bootstrap.Services
    moto_url: str
    env: dict[str, str]

    def sqs(self) -> Any:
        """An SQS client on moto."""
        return boto3.client("sqs", region_name=resources.REGION, endpoint_url=self.moto_url)

    def drain(
        self, setting: str = "INBOUND_QUEUE_URL", function: str = "inbound_worker", rounds: int = 50
    ) -> int:
        """Feed the queue's messages to its handler until it is empty; returns how many were handled."""
        import app

        source = SqsEventSource(self.sqs(), self.env[setting], getattr(app, function), function)
        handled = 0
        for _ in range(rounds):
            count = source.poll_once()
            if count == 0:
                return handled
            handled += count
        return handled

    def post_json(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        """POST a JSON body through the API."""
        merged = {"Content-Type": "application/json", **(headers or {})}
        return self.client.http.post(path, headers=merged, body=json.dumps(body))

    def get(self, path: str, headers: dict[str, str] | None = None) -> Any:
        """GET through the API."""
        return self.client.http.get(path, headers=headers or {})


def seed_store(pipeline: Pipeline) -> dict[str, int]:
    """Seed the store config's knowledge articles and catalog into the pipeline's table."""
    from chalicelib.commerce.knowledge_api import seed_store_config

    built = pipeline.services
    return seed_store_config(built.store_config, built.knowledge, built.catalog)


def local_env(moto_url: str) -> dict[str, str]:
    """The local stack's settings on a fresh moto: defaults plus created resources."""
    env = {
        **LOCAL_DEFAULTS,
        "AWS_ENDPOINT_URL": moto_url,
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        # Never Twilio's real API from a test: a closed local port unless a test gives its fake.
        "TWILIO_API_BASE_URL": "http://127.0.0.1:9",
    }
    env.update(resources.create_resources(moto_url, env["EMAIL_FROM"]))
    return env


def start_pipeline(moto_url: str, overrides: Overrides | None = None, **settings: str) -> Pipeline:
    """Create resources on moto, set the environment and build the app's services."""
    env = {**local_env(moto_url), **settings}
    os.environ.update(env)
    built = bootstrap.Services(Settings(), overrides or Overrides())
    bootstrap.reset(built)
    import app

    return Pipeline(Client(app.app, project_dir=str(ROOT)), built, moto_url, env)


@dataclass
class RunningStack:
    """A local stack started as `make run` starts it."""

    api_url: str
    moto_url: str
    process: subprocess.Popen[bytes]
    log: Path


def clean_environment() -> dict[str, str]:
    """This process's environment without any Tandem or AWS setting that in-process tests set."""
    names = {name.upper() for name in Settings.model_fields} | {"AWS_REGION", "TWILIO_FAKE_PORT"}
    names |= {"PUBLIC_BASE_URL", "SEED_DEMO", "PORT", "MOTO_PORT"}
    return {
        k: v for k, v in os.environ.items() if k.upper() not in names and not k.startswith("AWS_")
    }


def run_stack(port: int, moto_port: int, log: Path, **env: str) -> Iterator[RunningStack]:
    """Start `python -m dev.stack` and stop it (SIGTERM) afterwards."""
    environment = {**clean_environment(), "PORT": str(port), "MOTO_PORT": str(moto_port), **env}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "dev.stack"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        stack = RunningStack(
            f"http://127.0.0.1:{port}", f"http://127.0.0.1:{moto_port}", process, log
        )
        try:
            wait_for(f"{stack.api_url}/health", 90, process)
            _wait_ready(log, process)
            yield stack
        finally:
            stop(process, 20)


def _wait_ready(log: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Wait for the banner, printed after the demo data is seeded."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if "ready" in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        time.sleep(0.1)
    raise RuntimeError("the local stack did not print its banner")


def poll_until(fetch: Any, check: Any, seconds: float = 30, interval: float = 0.2) -> Any:
    """Call `fetch` until `check(result)` holds; returns the last result.

    The deadline is generous: it only bounds a wait for an outcome, so a loaded machine passes too.
    """
    deadline = time.monotonic() + seconds
    result = fetch()
    while not check(result) and time.monotonic() < deadline:
        time.sleep(interval)
        result = fetch()
    return result


__all__ = [
    "Pipeline",
    "RunningStack",
    "poll_until",
    "requests",
    "run_stack",
    "seed_store",
    "start_pipeline",
]
