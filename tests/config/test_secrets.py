"""Secrets from SSM Parameter Store (moto server) into the settings' environment names."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters import base

from chalicelib.config.secrets import load_secrets_into_environ, setting_name


@pytest.fixture
def ssm(moto_clean: str) -> Iterator[object]:
    """An SSM client on the moto server, with Powertools' provider and cache rebuilt for it."""
    base.DEFAULT_PROVIDERS.clear()
    yield boto3.client("ssm", region_name="us-east-1", endpoint_url=moto_clean)
    base.DEFAULT_PROVIDERS.clear()


def put(ssm: object, name: str, value: str, kind: str = "SecureString") -> None:
    """Store one parameter."""
    ssm.put_parameter(Name=name, Value=value, Type=kind)  # type: ignore[attr-defined]


def test_secure_strings_under_the_stage_path_become_settings(ssm: object) -> None:
    put(ssm, "/tandem/dev/TWILIO_AUTH_TOKEN", "tw-token")
    put(ssm, "/tandem/dev/openai-api-key", "sk-test")
    put(ssm, "/tandem/dev/PUBLIC_BASE_URL", "https://x.example/api", "String")
    environ: dict[str, str] = {}
    load_secrets_into_environ("/tandem/dev/", environ)
    assert environ == {
        "TWILIO_AUTH_TOKEN": "tw-token",
        "OPENAI_API_KEY": "sk-test",
        "PUBLIC_BASE_URL": "https://x.example/api",
    }


def test_other_stages_and_unknown_names_are_ignored(ssm: object) -> None:
    put(ssm, "/tandem/dev/AWS_ENDPOINT_URL", "http://evil.example")
    put(ssm, "/tandem/prod/CHAT_SESSION_SECRET", "prod-only")
    put(ssm, "/tandem/dev/CHAT_SESSION_SECRET", "dev-secret")
    environ: dict[str, str] = {}
    load_secrets_into_environ("/tandem/dev/", environ)
    assert environ == {"CHAT_SESSION_SECRET": "dev-secret"}


def test_a_value_already_in_the_environment_wins(ssm: object) -> None:
    put(ssm, "/tandem/dev/STORE_API_KEYS", "from-ssm")
    environ = {"STORE_API_KEYS": "from-env"}
    load_secrets_into_environ("/tandem/dev/", environ)
    assert environ == {"STORE_API_KEYS": "from-env"}


def test_no_path_means_no_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "AWS_ENDPOINT_URL", "http://127.0.0.1:9"
    )  # nothing listens: a call would fail
    environ: dict[str, str] = {}
    load_secrets_into_environ("", environ)
    assert environ == {}


def test_parameter_names_map_to_setting_names() -> None:
    assert setting_name("/tandem/prod/shopify-webhook-secret") == "SHOPIFY_WEBHOOK_SECRET"
    assert setting_name("HELPDESK_API_KEYS") == "HELPDESK_API_KEYS"
    assert setting_name("TABLE_NAME") is None
