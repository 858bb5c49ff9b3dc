"""`make run` shows the API's request lines and Tandem's log as readable lines, moto stays quiet,
and an unknown path answers 404 in the contract's shape (as the deployed API's gateway does)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
import requests

from dev.local_api import TerminalFormatter, not_found_body
from tests.harness import RunningStack


def log_until(path: Path, wanted: str, seconds: float = 15) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = path.read_text(errors="replace")
        if wanted in text:
            return text
        time.sleep(0.2)
    pytest.fail(f"{wanted!r} never appeared in the stack's output")


@pytest.mark.stack
@pytest.mark.parametrize("path", ["/favicon.ico", "/", "/no/such/thing?x=1"])
def test_an_unknown_path_is_a_404_in_the_contract_shape(
    local_stack: RunningStack, path: str
) -> None:
    answer = requests.get(f"{local_stack.api_url}{path}", timeout=5)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert path.split("?")[0] in answer.json()["error"]["message"]


@pytest.mark.stack
def test_the_stack_shows_request_lines_and_readable_warnings(local_stack: RunningStack) -> None:
    form = {"From": "+14155550123", "Body": "hi", "MessageSid": "SM" + "0" * 32}
    refused = requests.post(f"{local_stack.api_url}/webhooks/twilio", data=form, timeout=5)
    assert refused.status_code == 403
    log = log_until(local_stack.log, "api     POST /webhooks/twilio 403")
    (warning,) = [line for line in log.splitlines() if "twilio signature rejected" in line][-1:]
    assert " WARNING " in warning and "why=X-Twilio-Signature is missing" in warning
    assert not warning.lstrip().startswith("{")  # a line for people, not JSON
    assert '"POST / HTTP/1.1"' not in log  # moto's access log stays quiet by default
    assert '"CloudWatchMetrics"' not in log


def test_a_record_reads_as_one_line_with_its_keys() -> None:
    record = logging.LogRecord("tandem", logging.INFO, "x.py", 1, "ai replied", None, None)
    record.conversation_id = "chat_1"
    record.tools = ["lookup_orders"]
    line = TerminalFormatter().format(record)
    assert line.endswith('INFO    ai replied  conversation_id=chat_1 tools=["lookup_orders"]')


def test_the_404_body_names_the_path_without_its_query() -> None:
    assert b'"no such path: /a/b (the API' in not_found_body("/a/b?secret=1")
