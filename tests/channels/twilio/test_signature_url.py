"""POST /webhooks/twilio accepts exactly the URL Twilio signs: PUBLIC_BASE_URL + path, its port too."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from chalicelib import bootstrap
from dev.stack import LOCAL_DEFAULTS
from tests.channels.twilio.events import load_form, twilio_signature
from tests.harness import Pipeline, start_pipeline

TOKEN = LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"]


def with_base(moto_clean: str, base: str) -> Iterator[Pipeline]:
    yield start_pipeline(moto_clean, PUBLIC_BASE_URL=base)
    bootstrap.reset(None)


@pytest.fixture
def on_port(moto_clean: str) -> Iterator[Pipeline]:
    """The app whose public URL has a non-default port."""
    yield from with_base(moto_clean, "https://hooks.example.com:8443/api")


@pytest.fixture
def on_default_port(moto_clean: str) -> Iterator[Pipeline]:
    """The app on the default HTTPS port, as API Gateway serves it."""
    yield from with_base(moto_clean, "https://hooks.example.com/api")


def post(pipeline: Pipeline, signed_url: str) -> int:
    form = load_form("inbound_sms")
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilio_signature(form, signed_url, TOKEN),
    }
    answer = pipeline.client.http.post("/webhooks/twilio", headers=headers, body=urlencode(form))
    return int(answer.status_code)


def test_a_signature_over_the_url_without_its_port_is_refused(on_port: Pipeline) -> None:
    assert post(on_port, "https://hooks.example.com/api/webhooks/twilio") == 403
    assert post(on_port, "https://hooks.example.com:443/api/webhooks/twilio") == 403
    assert post(on_port, "https://hooks.example.com:8443/api/webhooks/twilio") == 200


def test_the_default_port_may_be_written_or_not(on_default_port: Pipeline) -> None:
    assert post(on_default_port, "https://hooks.example.com/api/webhooks/twilio") == 200
    assert post(on_default_port, "https://hooks.example.com:443/api/webhooks/twilio") == 200
    assert post(on_default_port, "https://hooks.example.com:8443/api/webhooks/twilio") == 403
