"""The local Twilio-compatible server: speaks enough of Twilio's protocol, and can be told to fail."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from dev.fakes.twilio_api import FakeTwilioApi

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(account_sid="AC" + "1" * 32, auth_token="secret") as server:
        yield server


def create(
    fake: FakeTwilioApi, auth: tuple[str, str] | None = None, **form: str
) -> requests.Response:
    url = f"{fake.base_url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    credentials = auth or (fake.account_sid, fake.auth_token)
    return requests.post(url, data=form, auth=credentials, timeout=5)


def test_create_answers_201_like_twilio_and_is_listed(fake: FakeTwilioApi) -> None:
    answer = create(fake, To="+14155550123", From="+14155550100", Body="Hi")
    assert answer.status_code == 201
    message = answer.json()
    assert (message["status"], message["to"], message["from"], message["body"]) == (
        "queued",
        "+14155550123",
        "+14155550100",
        "Hi",
    )
    listed = requests.get(f"{fake.base_url}/_fake/messages", timeout=5).json()
    assert [m["sid"] for m in listed["messages"]] == [message["sid"]]


def test_wrong_credentials_get_401(fake: FakeTwilioApi) -> None:
    answer = create(fake, auth=(fake.account_sid, "guess"), To="+1", From="+1", Body="x")
    assert (answer.status_code, answer.json()["code"]) == (401, 20003)
    assert fake.messages == []


def test_missing_to_is_twilio_error_21604(fake: FakeTwilioApi) -> None:
    answer = create(fake, From="+14155550100", Body="Hi")
    assert (answer.status_code, answer.json()["code"]) == (400, 21604)


def test_failures_are_injected_and_reset_over_http(fake: FakeTwilioApi) -> None:
    armed = {"count": 2, "status": 400, "code": 21610}
    requests.post(f"{fake.base_url}/_fake/fail", json=armed, timeout=5).raise_for_status()
    codes = [create(fake, To="+1", From="+1", Body="x").json()["code"] for _ in range(2)]
    assert codes == [21610, 21610]
    assert create(fake, To="+1", From="+1", Body="x").status_code == 201
    requests.post(f"{fake.base_url}/_fake/reset", timeout=5).raise_for_status()
    assert fake.messages == [] and fake.requests == []


def test_bad_failure_description_is_a_400(fake: FakeTwilioApi) -> None:
    answer = requests.post(f"{fake.base_url}/_fake/fail", json={"colour": "red"}, timeout=5)
    assert answer.status_code == 400


def test_runs_by_hand_and_prints_its_base_url() -> None:
    command = [sys.executable, "-m", "dev.fakes.twilio_api", "--port", "0"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert requests.get(f"{base_url}/_fake/messages", timeout=5).status_code == 200
    finally:
        process.terminate()
    assert process.wait(timeout=30) == 0  # a deadline for the exit, generous for a busy machine


def test_status_report_for_an_unknown_message_is_a_400(fake: FakeTwilioApi) -> None:
    report = {"sid": "SM" + "0" * 32, "status": "delivered"}
    answer = requests.post(f"{fake.base_url}/_fake/status", json=report, timeout=5)
    assert answer.status_code == 400
