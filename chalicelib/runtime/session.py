"""The process's one boto3 session: every AWS client of a cold start shares its loader (endpoints
and service models read once), and the secrets at cold start come through it too."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

AWS_LOCK = threading.RLock()  # a boto3 session is not thread-safe; its clients are


def boto3_session() -> Any:
    """The session, created on first use (boto3 is imported then); one, whichever thread asks
    first (the secrets' prefetch, chalicelib/config/secrets.py, or a client)."""
    with AWS_LOCK:
        return _session()


@lru_cache(maxsize=1)
def _session() -> Any:
    import boto3

    return boto3.session.Session()


def client(service: str, region: str | None, endpoint_url: str | None) -> Any:
    """A client of the shared session."""
    with AWS_LOCK:
        return boto3_session().client(service, region_name=region, endpoint_url=endpoint_url)
