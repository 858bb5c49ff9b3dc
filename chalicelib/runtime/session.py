"""The process's one AWS session (botocore's): every AWS client of a cold start shares its loader
(endpoints and service models read once), and the secrets at cold start come through it too.

botocore's own session, not boto3's: clients are all the app makes, and importing boto3 (its
resources and s3transfer) cost a cold start about 20 ms for nothing more. A boto3 resource is
built on this session only where one is asked for (`resource`: the simulations). Its data loader
finds a client's model by the service's name (`service_models.py`)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

AWS_LOCK = threading.RLock()  # a session is not thread-safe; its clients are


def aws_session() -> Any:
    """The session, created on first use (botocore is imported then); one, whichever thread asks
    first (the secrets' prefetch, chalicelib/config/secrets.py, or a client)."""
    with AWS_LOCK:
        return _session()


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    from chalicelib.runtime.service_models import service_models

    session = botocore.session.get_session()
    loader = service_models(session.get_config_variable("data_path"))
    session.register_component("data_loader", loader)
    return session


def client(service: str, region: str | None, endpoint_url: str | None) -> Any:
    """A client of the shared session."""
    with AWS_LOCK:
        return aws_session().create_client(service, region_name=region, endpoint_url=endpoint_url)


def resource(service: str, region: str | None, endpoint_url: str | None) -> Any:
    """A boto3 resource on the shared session (boto3 is imported then)."""
    with AWS_LOCK:
        return _boto3_session().resource(service, region_name=region, endpoint_url=endpoint_url)


@lru_cache(maxsize=1)
def _boto3_session() -> Any:
    # One: each boto3 session registers its handlers on the botocore session it wraps.
    import boto3

    return boto3.session.Session(botocore_session=aws_session())
