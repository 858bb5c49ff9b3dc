"""The HTTP API's operations, declared on each route's handler in app.py: a route is written once.

`Routes.route` registers the Chalice route and records what each of its methods takes, answers and
needs; `GET /openapi.json` is built from those records. Models are named (classes of
`chalicelib.http.schemas`), so a cold start does not build them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from chalice import Chalice

JSON, FORM, HTML = "application/json", "application/x-www-form-urlencoded", "text/html"
XML, TEXT = "text/xml", "text/plain"
# Bodies that are not JSON models: named by what they are.
PLAIN_BODIES = ("twiml", "empty", "script", "page", "yaml")
Handler = TypeVar("Handler", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """One method of one route: what it takes, answers and needs.

    `response` and `request` name a model of `chalicelib.http.schemas`, or a plain body
    (PLAIN_BODIES). `name` (the operationId) is the handler's name unless given; `path` is the
    route's, filled in by `Routes.route`.
    """

    method: str
    summary: str
    response: str | None = None
    status: int = 200
    response_type: str = JSON
    request: str | None = None
    request_type: str = JSON
    security: str | None = None
    query: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    conflicts: bool = False
    also: tuple[int, ...] = field(default=())
    name: str = ""
    path: str = ""

    def errors(self) -> list[int]:
        """The error statuses this operation can answer with."""
        found = {400, *(status for status in self.also if status >= 400)}
        if self.security:
            found |= {401, 403}
        if "{" in self.path:
            found.add(404)
        if self.request is not None:
            found.add(413)
        if self.conflicts:
            found.add(409)
        return sorted(found)

    def parameters(self) -> list[dict[str, Any]]:
        """Path, query and header parameters."""
        names = re.findall(r"{(\w+)}", self.path)
        found = [_param(n, "path", True) for n in names]
        found += [_param(n, "query", False) for n in self.query]
        return found + [_param(n, "header", False) for n in self.headers]


def _param(name: str, where: str, required: bool) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": {"type": "string"}}


class Routes:
    """The app's routes, each declared once with the operations of its methods."""

    def __init__(self, app: Chalice) -> None:
        self.app = app
        self.operations: tuple[Operation, ...] = ()

    def route(
        self, path: str, *operations: Operation, content_types: list[str] | None = None
    ) -> Callable[[Handler], Handler]:
        """A Chalice route for these operations' methods, recorded for the OpenAPI document."""

        def register(handler: Handler) -> Handler:
            named = [replace(op, path=path, name=op.name or handler.__name__) for op in operations]
            self.operations += tuple(named)
            extra = {"content_types": content_types} if content_types else {}
            methods = [op.method for op in operations]
            registered: Handler = self.app.route(path, methods=methods, **extra)(handler)
            return registered

        return register
