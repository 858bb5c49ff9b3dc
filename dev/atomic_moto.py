"""moto in server mode with each DynamoDB request atomic, as every DynamoDB call is in AWS.

moto's TransactWriteItems copies the whole table first and, when a condition fails, puts the copy
back: a write another request made meanwhile is undone. Concurrent tests would then see races that
DynamoDB never has (a cancelled follow-up back to scheduled, a stored reply gone). One DynamoDB
request's action at a time removes moto's race and keeps ours: threads still interleave between
calls. The request's parsing, and the serializing of an answer already copied out of moto's
models, happen outside its turn (two thirds of a DynamoDB request's CPU under the 2,000-message
burst went to serializing). moto's costs that grow with the table (memory kept per request,
whole-table copies and sorts) are removed first (dev/moto_fixes.py).
"""

from __future__ import annotations

import argparse
import functools
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

import botocore.session
from moto.core.utils import camelcase_to_underscores
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from dev import moto_fixes
from dev.collector import keep_pauses_short

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

    def take(self, short: bool) -> None:
        """Wait for the turn and take it (`short`: one item's request, served first)."""
        with self.turn:
            self.short_waiting += short
            self.waiting += 1
            self.turn.wait_for(lambda: not self.busy and (short or not self.short_waiting))
            self.short_waiting -= short
            self.waiting -= 1
            self.busy = True

    def give_back(self) -> None:
        """End the holder's turn."""
        with self.turn:
            self.busy = False
            self.turn.notify_all()

    @contextmanager
    def held(self, short: bool) -> Iterator[None]:
        """Hold the turn for one request (`short`: one item's, served first)."""
        self.take(short)
        try:
            yield
        finally:
            self.give_back()


class Turn:
    """One DynamoDB request's turn: taken when its action starts, given back when the request ends
    or, earlier, once its action has returned plain data (a DynamoResult: moto's DynamoDB objects
    already copied into dicts and lists), which moto then serializes without the turn."""

    def __init__(self, turns: TurnTaking, short: bool) -> None:
        self.turns, self.short = turns, short
        self.holding, self.depth = False, 0

    def enter(self) -> None:
        """An action starts (one may call another): the turn is taken if not held yet."""
        if not self.holding:
            self.turns.take(self.short)
            self.holding = True
        self.depth += 1

    def leave(self, plain: bool) -> None:
        """An action returned; the outermost one's plain answer gives the turn back."""
        self.depth -= 1
        if plain and self.depth == 0:
            self.release()

    def release(self) -> None:
        """Give the turn back if held."""
        if self.holding:
            self.holding = False
            self.turns.give_back()


# The running DynamoDB request's turn (one request per server thread).
REQUEST: ContextVar[Turn | None] = ContextVar("REQUEST", default=None)


def in_turn(action: Callable[..., Any]) -> Callable[..., Any]:
    """A DynamoHandler action run in its request's turn."""

    @functools.wraps(action)
    def served(self: DynamoHandler, *args: Any, **kwargs: Any) -> Any:
        turn = REQUEST.get()
        if turn is None:
            return action(self, *args, **kwargs)
        turn.enter()
        plain = False
        try:
            result = action(self, *args, **kwargs)
            plain = isinstance(result, DynamoResult)
            return result
        finally:
            turn.leave(plain)

    served.in_turn = True  # type: ignore[attr-defined]
    return served


def serve_actions_in_turn() -> None:
    """Wrap every DynamoDB action of moto's handler (idempotent)."""
    operations = botocore.session.get_session().get_service_model("dynamodb").operation_names
    for operation in operations:
        name = camelcase_to_underscores(operation)
        action = DynamoHandler.__dict__.get(name)
        if callable(action) and not getattr(action, "in_turn", False):
            setattr(DynamoHandler, name, in_turn(action))


class AtomicDynamoDB:
    """WSGI middleware: DynamoDB requests' actions one at a time (single-item ones first),
    everything else as it comes."""

    def __init__(self, app: Wsgi) -> None:
        self.app = app
        self.lock = TurnTaking()
        serve_actions_in_turn()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Serve a request; a DynamoDB one's (X-Amz-Target DynamoDB_...) action in its turn."""
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if not target.startswith("DynamoDB_"):
            return self.app(environ, start_response)
        turn = Turn(self.lock, target.rpartition(".")[2] in SINGLE_ITEM)
        token = REQUEST.set(turn)
        try:
            return list(self.app(environ, start_response))
        finally:
            turn.release()
            REQUEST.reset(token)


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
    keep_pauses_short()
    with suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
