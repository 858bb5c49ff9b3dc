"""Fixtures of the reliability tests: the Twilio pipeline, shared with the SMS tests, and a moto
whose DynamoDB requests are atomic (see atomic_moto.py) for the concurrent deliveries."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import free_port
from tests.reliability.atomic_moto import atomic_moto_server
from tests.sms_whatsapp.conftest import twilio, twilio_api

__all__ = ["moto_url", "twilio", "twilio_api"]


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """The URL of a moto server in this process, DynamoDB atomic per request, as in AWS."""
    previous = os.environ.get("AWS_ENDPOINT_URL")
    with atomic_moto_server(free_port()) as url:
        os.environ["AWS_ENDPOINT_URL"] = url
        yield url
    if previous is None:
        os.environ.pop("AWS_ENDPOINT_URL", None)
    else:
        os.environ["AWS_ENDPOINT_URL"] = previous
