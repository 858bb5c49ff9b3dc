"""The API as `chalice local` serves it, with what `make run` needs on top (issue 21):

- a request line per request on stdout (`12:00:01 api POST /webhooks/twilio 403 12ms`);
- Tandem's structured log readable on a terminal (`12:00:01 WARNING twilio signature rejected
  reason=...`); on Lambda it stays JSON;
- an unknown path answers 404 in the contract's error shape, as the deployed API's gateway
  responses do (infra/gateway_errors.py), not chalice's 403 "Missing Authentication Token".

`python -m dev.local_api --port 8000` (the local stack starts it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from chalice import local

ROOT = Path(__file__).resolve().parent.parent
# Keys every record has: shown as the line's own parts, not as key=value.
BASE_KEYS = {
    "level",
    "location",
    "message",
    "timestamp",
    "service",
    "sampling_rate",
    "xray_trace_id",
}


class TerminalFormatter(LambdaPowertoolsFormatter):
    """Powertools' records as one readable line: time, level, message, then key=value."""

    def serialize(self, log: dict[str, Any]) -> str:  # type: ignore[override]
        """`12:00:01 INFO  ai replied  conversation_id=chat_1 intent=order_status`."""
        extras = " ".join(f"{k}={_short(v)}" for k, v in log.items() if k not in BASE_KEYS)
        stamp = time.strftime("%H:%M:%S")
        line = f"{stamp} {log.get('level', '')!s:<7} {log.get('message', '')}"
        return f"{line}  {extras}" if extras else line


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def not_found_body(path: str) -> bytes:
    """The contract's 404 for a path no route serves."""
    message = f"no such path: {path.split('?')[0]} (the API's paths are in GET /openapi.json)"
    return json.dumps({"error": {"code": "not_found", "message": message}}).encode()


class TandemGateway(local.LocalGateway):
    """Chalice's API Gateway emulation, answering unknown paths as our deployed API does."""

    def handle_request(
        self, method: str, path: str, headers: Any, body: bytes | None
    ) -> dict[str, Any]:
        """Chalice's answer; a 404 in the contract's shape where no route matches."""
        try:
            return dict(super().handle_request(method, path, headers, body))
        except local.ForbiddenError as error:
            if b"Missing Authentication Token" not in (error.body or b""):
                raise
            return {
                "statusCode": 404,
                "headers": {"Content-Type": "application/json"},
                "multiValueHeaders": {},
                "body": not_found_body(path),
            }


class TandemRequestHandler(local.ChaliceRequestHandler):
    """Chalice's request handler with our gateway and one short line per request."""

    def __init__(
        self, request: Any, client_address: Any, server: Any, app_object: Any, config: Any
    ):
        self.started = time.monotonic()
        self.local_gateway = TandemGateway(app_object, config)
        local.BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """`12:00:01 api GET /health 200 3ms` on stdout."""
        took = (time.monotonic() - self.started) * 1000
        path = self.path.split("?")[0]
        print(
            f"{time.strftime('%H:%M:%S')} api     {self.command} {path} {code} {took:.0f}ms",
            flush=True,
        )

    def handle_one_request(self) -> None:
        """Time each request of a kept-alive connection from its start."""
        self.started = time.monotonic()
        super().handle_one_request()


def readable_logs() -> None:
    """Tandem's structured log as readable lines (the local stack is read by people)."""
    from chalicelib.runtime.observability import logger

    logger.registered_handler.setFormatter(TerminalFormatter())


def serve(port: int, host: str = "127.0.0.1", stage: str = "dev") -> None:
    """Serve the app until interrupted."""
    from chalice.cli.factory import CLIFactory

    sys.path.insert(0, str(ROOT))
    config = CLIFactory(project_dir=str(ROOT)).create_config_obj(chalice_stage_name=stage)
    readable_logs()
    app = config.chalice_app
    local.CustomLocalChalice.__bases__ = (local.LocalChalice, app.__class__)
    app.__class__ = local.CustomLocalChalice
    server = local.LocalDevServer(app, config, host, port, handler_cls=TandemRequestHandler)
    from dev.collector import keep_pauses_short

    keep_pauses_short()
    print(f"Serving on http://{host}:{port}", flush=True)
    server.server.serve_forever()


def main() -> None:
    """`python -m dev.local_api --port 8000`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--stage", default="dev")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.port, args.host, args.stage)


if __name__ == "__main__":
    main()
