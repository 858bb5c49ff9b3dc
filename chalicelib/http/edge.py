"""HTTP at the edge: JSON bodies, API keys, CORS, and errors mapped to the contract's shape."""

from __future__ import annotations

import functools
import hmac
import json
from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.domain.errors import (
    BadRequestError,
    PayloadTooLargeError,
    TandemError,
    UnauthorizedError,
)
from chalicelib.domain.json_body import parse_json
from chalicelib.runtime.observability import logger

MAX_JSON_BYTES = 256 * 1024
MAX_ANY_BODY_BYTES = 1024 * 1024  # Shopify's webhooks, the largest body a route accepts
Route = Callable[..., Response]


def text_response(
    body: str, content_type: str, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A text response (a page, a script, an empty preflight answer)."""
    merged: dict[str, str | list[str]] = {"Content-Type": content_type, **(headers or {})}
    return Response(body=body, status_code=status, headers=merged)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response."""
    return text_response(json.dumps(body, default=str), "application/json", status, headers)


def error_response(error: TandemError, headers: dict[str, str] | None = None) -> Response:
    """The contract's error body with the error's status."""
    return json_response(error.to_body(), error.status, headers)


def handled_with(headers: Callable[[], dict[str, str]]) -> Callable[[Route], Route]:
    """A route decorator mapping TandemErrors to responses (with `headers()`), the rest to 500."""

    def decorate(route: Route) -> Route:
        @functools.wraps(route)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            try:
                return route(*args, **kwargs)
            except TandemError as error:
                if error.status >= 500:
                    logger.warning("dependency failure", extra={"code": error.code})
                return error_response(error, headers())
            except Exception:
                logger.exception("unhandled error")
                return error_response(TandemError("something went wrong on our side"), headers())

        return wrapper

    return decorate


handled = handled_with(dict)


def json_body(raw: bytes | None, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """A parsed JSON body; 413 when too large, 400 when not JSON or hostile (see http_json)."""
    if raw is None or not raw.strip():
        raise BadRequestError("the body must be JSON", field="body")
    if len(raw) > max_bytes:
        raise PayloadTooLargeError(f"the body must be at most {max_bytes} bytes", field="body")
    return parse_json(raw)


def json_object(raw: bytes | None, max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    """A JSON body that must be an object."""
    body = json_body(raw, max_bytes)
    if not isinstance(body, dict):
        raise BadRequestError("the body must be a JSON object", field="body")
    return body


def oversized(raw: bytes | None) -> Response | None:
    """The 413 answer for a body larger than any route accepts, else None."""
    if raw is None or len(raw) <= MAX_ANY_BODY_BYTES:
        return None
    limit = f"the body must be at most {MAX_ANY_BODY_BYTES} bytes"
    return error_response(PayloadTooLargeError(limit, field="body"))


def require_api_key(headers: Any, allowed: list[str]) -> None:
    """401 unless `X-Api-Key` is one of the allowed keys (compared in constant time)."""
    given = (headers or {}).get("x-api-key") or ""
    if not any(hmac.compare_digest(given.encode(), key.encode()) for key in allowed if key):
        raise UnauthorizedError("a valid X-Api-Key header is required")


def cors_headers(origin: str | None, allowed: list[str]) -> dict[str, str]:
    """CORS headers for the widget when the request's origin is allowed."""
    if "*" in allowed:
        allow = "*"
    elif origin and origin in allowed:
        allow = origin
    else:
        return {}
    return {
        "Access-Control-Allow-Origin": allow,
        "Access-Control-Allow-Headers": "Authorization,Content-Type",
        "Access-Control-Allow-Methods": "GET,POST,OPTIONS",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }
