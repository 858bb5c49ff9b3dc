"""Secrets from SSM Parameter Store (moto server) into the settings' environment names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Services
from chalicelib.secrets import SECRET_SETTINGS, load_secrets_into_environ, setting_name
from chalicelib.settings import Settings
from chalicelib.store.session import boto3_session


@pytest.fixture
def ssm(moto_clean: str) -> Iterator[object]:
    """An SSM client on the moto server."""
    yield boto3.client("ssm", region_name="us-east-1", endpoint_url=moto_clean)


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


def test_every_page_is_read_through_the_session_the_app_s_clients_share(ssm: object) -> None:
    names = [*sorted(SECRET_SETTINGS), "PUBLIC_BASE_URL", "EMAIL_FROM", "TWILIO_SMS_FROM"]
    names += [f"UNKNOWN_{n}" for n in range(3)]  # 13 parameters: two pages of ten
    for name in names:
        put(ssm, f"/tandem/dev/{name}", f"value-of-{name}")
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(f"{model.service_model.service_name}.{model.name}")

    boto3_session().events.register("provide-client-params.*.*", record)
    try:
        environ: dict[str, str] = {}
        load_secrets_into_environ("/tandem/dev/", environ)
    finally:
        boto3_session().events.unregister("provide-client-params.*.*", record)
    assert environ == {n: f"value-of-{n}" for n in names if not n.startswith("UNKNOWN")}
    assert calls == ["ssm.GetParametersByPath", "ssm.GetParametersByPath"]
    assert Services(Settings())._boto3_session is boto3_session()
