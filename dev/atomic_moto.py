"""moto in server mode with each DynamoDB request atomic, as every DynamoDB call is in AWS.

moto's TransactWriteItems copies the whole table first and, when a condition fails, puts the copy
back: a write another request made meanwhile is undone. Concurrent tests would then see races that
DynamoDB never has (a cancelled follow-up back to scheduled, a stored reply gone). One DynamoDB
request at a time removes moto's race and keeps ours: threads still interleave between calls.
moto's costs that grow with the table (memory kept per request, whole-table copies and sorts) are
removed first (dev/moto_fixes.py).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from dev import moto_fixes

Wsgi = Callable[[dict[str, Any], Any], Iterable[bytes]]


# One item's read or write: a webhook's dedupe PutItem is one. They cost moto ~3 ms where a worker's
# Query or TransactWriteItems costs 10-20 ms, and go first when both wait (issue 23's acks).
SINGLE_ITEM = frozenset({"GetItem", "PutItem", "UpdateItem", "DeleteItem"})


class TurnTaking:
    """One holder at a time; a waiting single-item request goes before waiting longer ones."""

    def __init__(self) -> None:
        self.turn = threading.Condition()
        self.busy = False
        self.short_waiting = self.waiting = 0

    @contextmanager
    def held(self, short: bool) -> Iterator[None]:
        """Hold the turn for one request (`short`: one item's, served first)."""
        with self.turn:
            self.short_waiting += short
            self.waiting += 1
            self.turn.wait_for(lambda: not self.busy and (short or not self.short_waiting))
            self.short_waiting -= short
            self.waiting -= 1
            self.busy = True
        try:
            yield
        finally:
            with self.turn:
                self.busy = False
                self.turn.notify_all()


class AtomicDynamoDB:
    """WSGI middleware: DynamoDB requests one at a time (single-item ones first), everything else
    as it comes."""

    def __init__(self, app: Wsgi) -> None:
        self.app = app
        self.lock = TurnTaking()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Serve a request; a DynamoDB one (X-Amz-Target DynamoDB_...) in its turn."""
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if not target.startswith("DynamoDB_"):
            return self.app(environ, start_response)
        with self.lock.held(target.rpartition(".")[2] in SINGLE_ITEM):
            return list(self.app(environ, start_response))


def _server(port: int) -> Any:
    """The WSGI server of moto's every backend, DynamoDB atomic, on 127.0.0.1:`port`."""
    moto_fixes.apply()
    app = AtomicDynamoDB(DomainDispatcherApplication(create_backend_app))
    return make_server("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)


@contextmanager
def atomic_moto_server(port: int) -> Iterator[str]:
    """A threaded moto server on 127.0.0.1:`port` (DynamoDB atomic per request); yields its URL."""
    server = _server(port)
    thread = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join()


def main() -> None:
    """`python -m dev.atomic_moto -p PORT`: serve until interrupted (the local stack runs this)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-p", "--port", type=int, default=5000)
    port = parser.parse_args().port
    # A request waiting for the GIL gets it within 1 ms, not 5: a webhook's short calls are not
    # held up behind a worker's long Query.
    sys.setswitchinterval(0.001)
    server = _server(port)
    with suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
