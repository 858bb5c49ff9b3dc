"""Fixtures of the Twilio end-to-end tests: the app on moto, sending to a local fake Twilio API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import bootstrap
from dev.fakes.twilio_api import FakeTwilioApi
from dev.stack import LOCAL_DEFAULTS
from tests.harness import Pipeline, start_pipeline


@pytest.fixture(scope="session")
def twilio_api() -> Iterator[FakeTwilioApi]:
    """A Twilio-compatible REST server with the local stack's credentials."""
    credentials = (LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"], LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"])
    with FakeTwilioApi(*credentials) as fake:
        yield fake


@pytest.fixture
def twilio(moto_clean: str, twilio_api: FakeTwilioApi) -> Iterator[Pipeline]:
    """The pipeline with TWILIO_API_BASE_URL pointing at the fake (reset before each test)."""
    twilio_api.reset()
    yield start_pipeline(moto_clean, TWILIO_API_BASE_URL=twilio_api.base_url)
    bootstrap.reset(None)
