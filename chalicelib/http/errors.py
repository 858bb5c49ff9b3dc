"""Errors at the HTTP edge in the contract's shape `{"error": {"code", "message"}}`.

Chalice answers a method a path lacks (405) and a content type a route does not take (415) in its
own shape (`{"Code", "Message"}`), and API Gateway answers a method it has no integration for with
403 "Missing Authentication Token". So every path answers every common method (the others with a
405 naming the allowed ones), and Chalice's own answers are reshaped by the app's middleware.
"""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Response

from chalicelib.http.edge import json_response

# The methods every path answers (API Gateway sends OPTIONS and HEAD elsewhere).
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CODES = {405: "method_not_allowed", 415: "unsupported_media_type"}


def allowed(routes: dict[str, dict[str, Any]], path: str) -> list[str]:
    """The methods a path really serves (not the 405 answers)."""
    found = routes.get(path, {})
    return sorted(m for m, entry in found.items() if entry.view_name != "method_not_allowed")


def method_not_allowed(app: Chalice) -> Response:
    """405 naming the methods the path serves, with `Allow`."""
    request = app.current_request
    path = request.context.get("resourcePath", "") if request else ""
    methods = allowed(app.routes, path)
    method = request.method if request else "this method"
    message = f"{method} is not allowed on {path}; use {' or '.join(methods)}"
    body = {"error": {"code": "method_not_allowed", "message": message}}
    return json_response(body, 405, {"Allow": ", ".join(methods)})


def answer_every_method(app: Chalice) -> None:
    """Register the 405 answer for each method a path lacks (call after the last route)."""

    def route_405(**_: str) -> Response:
        return method_not_allowed(app)

    route_405.__name__ = "method_not_allowed"
    for path, entries in list(app.routes.items()):
        missing = [m for m in METHODS if m not in entries]
        if missing:
            app.route(path, methods=missing, content_types=["*/*"])(route_405)


def contract_shaped(response: Response, request: Any, routes: dict[str, Any]) -> Response:
    """Chalice's own error answers (`{"Code", "Message"}`) in the contract's shape."""
    body = response.body
    if not (isinstance(body, dict) and "Code" in body and "Message" in body):
        return response
    status = response.status_code
    code = CODES.get(status, "bad_request" if status < 500 else "internal_error")
    message = str(body["Message"])
    if status == 415 and request is not None:
        message = _media_message(request, routes)
    headers = {k: str(v) for k, v in response.headers.items() if k.lower() != "content-type"}
    return json_response({"error": {"code": code, "message": message}}, status, headers)


def _media_message(request: Any, routes: dict[str, Any]) -> str:
    """Which Content-Type was sent and which the route takes."""
    path = request.context.get("resourcePath", "")
    entry = routes.get(path, {}).get(request.method)
    takes = " or ".join(entry.content_types) if entry else "application/json"
    sent = request.headers.get("content-type", "none")
    return f"Content-Type {sent} is not accepted on {request.method} {path}; send {takes}"
