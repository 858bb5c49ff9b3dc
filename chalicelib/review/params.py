"""Query parameters of the review API: times, limits and opaque paging cursors (400 naming the field)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.vocabulary import iso, utcnow

MAX_DAYS = 366
MAX_LIMIT = 100


def time_param(params: dict[str, str], name: str, default: datetime) -> datetime:
    """An ISO-8601 time (a date alone means its midnight UTC); `default` when absent."""
    raw = params.get(name)
    if not raw:
        return default
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise BadRequestError(f"{name} must be an ISO-8601 time", field=name) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=utcnow().tzinfo)
    return moment


def since_param(params: dict[str, str], days: int = 30) -> str:
    """`since` as our sortable ISO text; the last `days` days when absent."""
    return iso(time_param(params, "since", utcnow() - timedelta(days=days)))


def window(params: dict[str, str], days: int = 30) -> tuple[datetime, datetime]:
    """`since` and `until` (default: the last `days` days), at most MAX_DAYS apart."""
    until = time_param(params, "until", utcnow())
    since = time_param(params, "since", until - timedelta(days=days))
    if since >= until:
        raise BadRequestError("since must be before until", field="since")
    if until - since > timedelta(days=MAX_DAYS):
        raise BadRequestError(
            f"since and until must be at most {MAX_DAYS} days apart", field="since"
        )
    return since, until


def limit_param(params: dict[str, str], default: int = 20) -> int:
    """`limit`: 1 to MAX_LIMIT."""
    raw = params.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequestError(f"limit must be a number from 1 to {MAX_LIMIT}", field="limit")
    return int(raw)


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    """An opaque, URL-safe cursor for the next page."""
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode().rstrip("=")


def decode_cursor(params: dict[str, str], prefix: str) -> dict[str, Any] | None:
    """The page key from `cursor`; 400 when it is not one of ours for this queue."""
    raw = params.get("cursor")
    if not raw:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise BadRequestError("cursor is not a cursor this API gave", field="cursor") from None
    fields = {"PK", "SK", "GSI2PK", "GSI2SK"}
    if not isinstance(key, dict) or set(key) != fields or key.get("GSI2PK") != prefix:
        raise BadRequestError("cursor is not a cursor this API gave", field="cursor")
    if not all(isinstance(value, str) for value in key.values()):
        raise BadRequestError("cursor is not a cursor this API gave", field="cursor")
    return key
