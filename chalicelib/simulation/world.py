"""The embedded stack a simulation runs on: one moto server, the app, a fake Twilio (dev only)."""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from chalice.test import HTTPResponse

    from chalicelib.bootstrap import Services
    from chalicelib.config.store_config import StoreConfig

ROOT = Path(__file__).resolve().parents[2]
STORE_KEY = {"X-Api-Key": "dev-store-key"}
HELPDESK_KEY = {"X-Api-Key": "dev-helpdesk-key"}
SEEDED_AT = "2026-01-01T00:00:00Z"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class World:
    """Moto, the resources and the app's test client; `fresh()` gives each scenario a clean state."""

    moto: Any
    twilio: Any
    env: dict[str, str]
    client: Any = None
    services: Any = None
    seeded: set[Any] = field(default_factory=set)

    @property
    def moto_url(self) -> str:
        """The moto server's URL."""
        return self.env["AWS_ENDPOINT_URL"]

    def fresh(self, store_overrides: dict[str, Any], full: bool = False) -> None:
        """A clean state with this store: only the seeded catalog and knowledge kept (or nothing)."""
        from chalicelib import bootstrap
        from chalicelib.config.settings import Settings
        from chalicelib.config.store_config import with_overrides

        settings = Settings()
        config = with_overrides(self.base_config(), store_overrides)
        self.services = shared_clients(bootstrap.Services(settings, {"store_config": config}))
        bootstrap.reset(self.services)
        self.twilio.reset()
        # The resource's batch writer and scan: a test-only convenience, off the Lambda path.
        table = self.services._aws("dynamodb", "resource").Table(settings.table_name)
        if full or not self.seeded:
            with table.batch_writer() as batch:
                for key in self._keys(table):
                    batch.delete_item(Key=dict(key))
            self.seeded = self._seed_base(table)
            return
        with table.batch_writer() as batch:
            for key in self._keys(table) - self.seeded:
                batch.delete_item(Key=dict(key))

    def base_config(self) -> StoreConfig:
        """The store config every scenario starts from (STORE_CONFIG, or the bundled demo)."""
        from chalicelib.config.settings import Settings
        from chalicelib.config.store_config import load_store_config

        return load_store_config(Settings().store_config)

    @staticmethod
    def _keys(table: Any) -> set[Any]:
        """Every item's key (the table of one scenario is small: a scan is fine here)."""
        keys, page = set(), table.scan(ProjectionExpression="PK, SK")
        while True:
            keys |= {(("PK", i["PK"]), ("SK", i["SK"])) for i in page["Items"]}
            if "LastEvaluatedKey" not in page:
                return keys
            page = table.scan(
                ProjectionExpression="PK, SK", ExclusiveStartKey=page["LastEvaluatedKey"]
            )

    def _seed_base(self, table: Any) -> set[Any]:
        """The store config's articles and catalog; returns the keys that stay between scenarios."""
        from chalicelib.commerce.knowledge_api import seed_store_config

        built = self.services
        seed_store_config(built.store_config, built.knowledge, built.catalog)
        return self._keys(table)

    def post_json(
        self, path: str, body: Any, headers: dict[str, str] | None = None
    ) -> HTTPResponse:
        """POST a JSON body through the API."""
        merged = {"Content-Type": "application/json", **(headers or {})}
        return self.client.http.post(path, headers=merged, body=json.dumps(body))

    def post_events(self, events: list[dict[str, Any]]) -> None:
        """Apply store events through `POST /events` (100 at most per call)."""
        for start in range(0, len(events), 100):
            answer = self.post_json("/events", {"events": events[start : start + 100]}, STORE_KEY)
            if answer.status_code != 202:
                raise RuntimeError(f"POST /events refused the scenario's data: {answer.body!r}")

    def drain(self, setting: str = "INBOUND_QUEUE_URL", function: str = "inbound_worker") -> int:
        """Feed a queue's messages to its handler, as Lambda does, until it is empty."""
        import app
        from dev.emulators import SqsEventSource

        source = SqsEventSource(
            self.services.sqs, self.env[setting], getattr(app, function), function
        )
        handled = 0
        for _ in range(50):
            count = source.poll_once()
            if count == 0:
                break
            handled += count
        return handled

    def stop(self) -> None:
        """Stop what `start_world` started."""
        from chalicelib import bootstrap

        bootstrap.reset(None)
        self.twilio.stop()
        self.moto.stop()


def shared_clients(built: Services) -> Services:
    """The services with AWS clients made once per run (a boto3 client costs tens of ms)."""
    cache = _CLIENTS

    def aws(service: str, kind: Literal["client", "resource"] = "client") -> BaseClient:
        if (service, kind) not in cache:
            cache[(service, kind)] = type(built)._aws(built, service, kind)
        return cache[(service, kind)]

    built._aws = aws  # type: ignore[method-assign]  # one client per service for the whole run
    return built


_CLIENTS: dict[tuple[str, str], Any] = {}


def start_world() -> World:
    """Start moto and the fake Twilio on free loopback ports and point the app's settings at them."""
    import requests
    from chalice.test import Client
    from moto.server import ThreadedMotoServer

    from dev import resources
    from dev.fakes.twilio_api import FakeTwilioApi
    from dev.stack import LOCAL_DEFAULTS

    _CLIENTS.clear()  # clients of an earlier run point at its (stopped) moto
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's access log
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    twilio = FakeTwilioApi(
        LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"], LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"]
    )
    twilio.start()
    env = {
        **LOCAL_DEFAULTS,
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        "TWILIO_API_BASE_URL": twilio.base_url,
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    os.environ.update(env)  # the app's settings and boto3 read them: moto only, never real AWS
    # In one process moto's backends are shared by every server: start from nothing.
    requests.post(f"{env['AWS_ENDPOINT_URL']}/moto-api/reset", timeout=10)
    env.update(resources.create_resources(env["AWS_ENDPOINT_URL"], env["EMAIL_FROM"]))
    os.environ.update(env)
    import app

    return World(moto, twilio, env, Client(app.app, project_dir=str(ROOT)))
