"""Against `make run` (dev.stack) with TWILIO_API_BASE_URL given: real HTTP from webhook to REST API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
import requests
from twilio.request_validator import RequestValidator

from dev.fakes.twilio_api import FakeTwilioApi
from dev.stack import LOCAL_DEFAULTS
from tests.channels.twilio.twilio_client import AVA, sms_form
from tests.conftest import free_port
from tests.harness import RunningStack, poll_until, run_stack

TOKEN = LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"]


@pytest.fixture(scope="module")
def stack_with_twilio(
    tmp_path_factory: pytest.TempPathFactory, twilio_api: FakeTwilioApi
) -> Iterator[RunningStack]:
    log = tmp_path_factory.mktemp("twilio-stack") / "stack.log"
    given = {"TWILIO_API_BASE_URL": twilio_api.base_url, "STACK_VERBOSE": "1"}
    yield from run_stack(free_port(), free_port(), log, **given)


def deliver(stack: RunningStack, form: dict[str, str], url: str | None = None) -> requests.Response:
    """POST the webhook as Twilio does, signed over the stack's public URL (or `url`)."""
    target = f"{stack.api_url}/webhooks/twilio"
    signature = RequestValidator(TOKEN).compute_signature(url or target, form)
    headers = {"X-Twilio-Signature": signature}
    return requests.post(target, data=form, headers=headers, timeout=5)


def test_signed_sms_through_the_running_stack_gets_one_reply(
    stack_with_twilio: RunningStack, twilio_api: FakeTwilioApi
) -> None:
    twilio_api.reset()
    form = sms_form("Where is my order #1001?", "3")
    started = time.monotonic()
    answer = deliver(stack_with_twilio, form)
    elapsed = time.monotonic() - started
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/xml")
    assert answer.text == '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    assert elapsed < 1.0, elapsed
    print(f"webhook answered in {elapsed * 1000:.0f} ms")
    with ThreadPoolExecutor(3) as pool:
        again = list(pool.map(lambda _: deliver(stack_with_twilio, form), range(3)))
    assert [r.status_code for r in again] == [200, 200, 200]
    messages = poll_until(lambda: list(twilio_api.messages), lambda sent: len(sent) >= 1)
    time.sleep(2)  # room for a duplicate reply to show up, if there were one
    [sent] = twilio_api.messages
    params = sent["params"]
    assert (params["To"], params["From"]) == (AVA, LOCAL_DEFAULTS["TWILIO_SMS_FROM"])
    assert "1001" in params["Body"] and "shipped" in params["Body"]
    assert params["StatusCallback"] == f"{stack_with_twilio.api_url}/webhooks/twilio/status"
    assert messages[0]["sid"] == sent["sid"]
    assert twilio_api.report_status(sent["sid"], "delivered") == 200
    assert stored_status(stack_with_twilio, sent["sid"]) == "delivered"
    log = stack_with_twilio.log.read_text(errors="replace")
    assert twilio_api.base_url in log  # the banner shows the given Twilio API, not a local fake


def test_forged_and_wrong_url_signatures_get_403_through_the_running_stack(
    stack_with_twilio: RunningStack, twilio_api: FakeTwilioApi
) -> None:
    twilio_api.reset()
    form = sms_form("Where is my order #1001?", "4")
    wrong = deliver(stack_with_twilio, form, url="http://127.0.0.1:1/webhooks/twilio")
    forged = requests.post(
        f"{stack_with_twilio.api_url}/webhooks/twilio",
        data=form,
        headers={"X-Twilio-Signature": "Zm9yZ2VkIHNpZ25hdHVyZQ=="},
        timeout=5,
    )
    assert (wrong.status_code, forged.status_code) == (403, 403)
    time.sleep(1.5)
    assert twilio_api.messages == []


def test_stack_logs_why_a_signature_failed_but_never_the_token(
    stack_with_twilio: RunningStack,
) -> None:
    deliver(stack_with_twilio, sms_form("hi", "5"), url="http://127.0.0.1:1/webhooks/twilio")
    log = poll_until(
        lambda: Path(stack_with_twilio.log).read_text(errors="replace"),
        lambda text: "twilio signature rejected" in text,
    )
    assert "check PUBLIC_BASE_URL" in log and TOKEN not in log


def stored_status(stack: RunningStack, sid: str) -> str | None:
    """The delivery status stored for the message Twilio knows as `sid`."""
    table = boto3.resource("dynamodb", region_name="us-east-1", endpoint_url=stack.moto_url)
    ref = table.Table("tandem").get_item(Key={"PK": f"SENT#{sid}", "SK": "SENT"})["Item"]
    key = {"PK": f"CONV#{ref['conversation_id']}", "SK": ref["sk"]}
    return table.Table("tandem").get_item(Key=key)["Item"].get("status")
