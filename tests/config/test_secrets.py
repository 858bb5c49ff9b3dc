"""Secrets from SSM Parameter Store (moto server) into the settings' environment names."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import boto3
import pytest

from chalicelib.bootstrap import Services
from chalicelib.config.secrets import SECRET_SETTINGS, load_secrets_into_environ, setting_name
from chalicelib.config.settings import Settings
from chalicelib.runtime.session import aws_session


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


def test_every_page_is_read_with_the_session_the_app_s_clients_share_and_no_ssm_client(
    ssm: object,
) -> None:
    names = [*sorted(SECRET_SETTINGS), "PUBLIC_BASE_URL", "EMAIL_FROM", "TWILIO_SMS_FROM"]
    names += [f"UNKNOWN_{n}" for n in range(3)]  # 13 parameters: two pages of ten
    for name in names:
        put(ssm, f"/tandem/dev/{name}", f"value-of-{name}")
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(f"{model.service_model.service_name}.{model.name}")

    aws_session().register("provide-client-params.*.*", record)
    try:
        environ: dict[str, str] = {}
        load_secrets_into_environ("/tandem/dev/", environ)
    finally:
        aws_session().unregister("provide-client-params.*.*", record)
    assert environ == {n: f"value-of-{n}" for n in names if not n.startswith("UNKNOWN")}
    assert calls == []  # no SSM client: signed requests (chalicelib/runtime/parameters.py)
    made: list[str] = []
    aws_session().register(
        "creating-client-class.sqs", lambda **k: made.append(k["event_name"]), unique_id="shared"
    )
    try:
        Services(Settings())._aws("sqs")  # the app's clients come from the same session
    finally:
        aws_session().unregister("creating-client-class.sqs", unique_id="shared")
    assert len(made) == 1


class Ssm(BaseHTTPRequestHandler):
    """A stand-in SSM endpoint answering from `answers` in order (status, JSON body)."""

    answers: ClassVar[list[tuple[int, dict[str, Any]]]] = []
    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({**body, "target": self.headers["X-Amz-Target"]})
        status, answer = type(self).answers.pop(0)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def fake_ssm() -> Iterator[str]:
    """The stand-in on a free loopback port for one test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ssm)
    Ssm.answers, Ssm.seen = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_throttling_and_5xx_are_retried_and_pages_follow_next_token(fake_ssm: str) -> None:
    from chalicelib.runtime.parameters import parameters_by_path

    throttled = {"__type": "com.amazonaws.ssm#ThrottlingException"}
    first = {"Parameters": [{"Name": "/t/A", "Value": "1"}], "NextToken": "page-2"}
    Ssm.answers = [(400, throttled), (500, {}), (200, first)]
    Ssm.answers += [(200, {"Parameters": [{"Name": "/t/B", "Value": "2"}]})]
    found = parameters_by_path(aws_session(), "/t/", "us-east-1", fake_ssm)
    assert found == {"/t/A": "1", "/t/B": "2"}
    assert [s.get("NextToken") for s in Ssm.seen] == [None, None, None, "page-2"]
    assert {s["target"] for s in Ssm.seen} == {"AmazonSSM.GetParametersByPath"}


def test_a_refused_read_fails_the_cold_start_naming_why(fake_ssm: str) -> None:
    from chalicelib.runtime.parameters import ParameterError, parameters_by_path

    Ssm.answers = [(400, {"__type": "com.amazonaws.ssm#AccessDeniedException"})]
    with pytest.raises(ParameterError, match="400 AccessDeniedException"):
        parameters_by_path(aws_session(), "/t/", "us-east-1", fake_ssm)
    assert len(Ssm.seen) == 1  # not retried


def test_the_endpoint_is_ssm_s_in_the_region_unless_one_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chalicelib.runtime.parameters import endpoint

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_SSM", raising=False)
    assert endpoint("eu-west-1", None) == "https://ssm.eu-west-1.amazonaws.com/"
    assert endpoint("cn-north-1", None) == "https://ssm.cn-north-1.amazonaws.com.cn/"
    assert endpoint("us-east-1", "http://127.0.0.1:5000") == "http://127.0.0.1:5000/"
