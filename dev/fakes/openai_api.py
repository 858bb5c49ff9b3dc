"""A local OpenAI-compatible Chat Completions server that answers from a script (never deployed).

Tests queue scripted responses (text, tool calls, malformed arguments, HTTP errors, delays) and read
back every request body the client sent. Run by hand: `python -m dev.fakes.openai_api --port 8012`.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from dev.fakes.openai_script import (
    DEFAULT_TEXT,
    Scripted,
    ToolCall,
    completion,
    delay,
    error,
    error_body,
    garbage,
    text,
    tool_call,
    tool_calls,
)

__all__ = [
    "DEFAULT_TEXT",
    "FakeOpenAI",
    "Scripted",
    "ToolCall",
    "delay",
    "error",
    "garbage",
    "text",
    "tool_call",
    "tool_calls",
]
COMPLETIONS_PATH = "/v1/chat/completions"


class FakeOpenAI:
    """The scripted server: `script(...)` queues replies, `requests` holds every body received."""

    def __init__(self, port: int = 0, default: Callable[[dict[str, Any]], Scripted] | None = None):
        self.default = default or (lambda body: text(DEFAULT_TEXT))
        self.requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to give the client as `base_url` (`OPENAI_BASE_URL`)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Scripted) -> None:
        """Queue replies, answered in order; the default responder answers when none is left."""
        with self._lock:
            self._queue.extend(replies)

    def next_reply(self, body: dict[str, Any]) -> Scripted:
        """Record a request and pick its reply."""
        with self._lock:
            self.requests.append(body)
            scripted = self._queue.popleft() if self._queue else None
        return scripted or self.default(body)

    @property
    def pending(self) -> int:
        """How many scripted replies are still queued."""
        with self._lock:
            return len(self._queue)

    def start(self) -> FakeOpenAI:
        """Serve in a background thread."""
        serve = lambda: self._server.serve_forever(poll_interval=0.05)  # noqa: E731 - quick stop
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, waking any delayed reply."""
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `fake`."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            if self.path.rstrip("/") != COMPLETIONS_PATH:
                return self._send(
                    404, {"error": {"message": "not found", "type": "invalid_request_error"}}
                )
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            except ValueError:
                return self._send(
                    400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}}
                )
            reply = fake.next_reply(body)
            if reply.delay and fake.stopping.wait(reply.delay):
                return None
            if reply.raw is not None:
                return self._send_bytes(reply.status, reply.raw.encode())
            if reply.status != 200:
                return self._send(reply.status, error_body(reply), reply.retry_after_ms)
            return self._send(200, completion(body, reply))

        def do_GET(self) -> None:
            models = {
                "object": "list",
                "data": [{"id": "fake-model", "object": "model", "owned_by": "tandem"}],
            }
            self._send(200 if self.path.rstrip("/") == "/v1/models" else 404, models)

        def _send(self, status: int, payload: dict[str, Any], retry_ms: int | None = None) -> None:
            self._send_bytes(status, json.dumps(payload).encode(), retry_ms)

        def _send_bytes(self, status: int, data: bytes, retry_ms: int | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if retry_ms is not None:
                    self.send_header("retry-after-ms", str(retry_ms))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (a scripted timeout): nothing to answer

        def log_message(self, format: str, *args: Any) -> None:
            return None

    return Handler


def main() -> None:
    """Serve until interrupted, answering every request with the default text (or `--reply`)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8012)
    parser.add_argument("--reply", default=DEFAULT_TEXT, help="the text every request gets")
    options = parser.parse_args()
    fake = FakeOpenAI(options.port, default=lambda body: text(options.reply))
    print(f"fake OpenAI API on {fake.base_url} (Ctrl-C to stop)", flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()


if __name__ == "__main__":
    main()
