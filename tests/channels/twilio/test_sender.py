"""TwilioSender, through its REST API requests, against a local Twilio-compatible server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qsl

import pytest

from chalicelib.channels.twilio.channel import (
    STATUS_CALLBACK_PATH,
    PartialSendError,
    TwilioSender,
    parse_status_callback,
    verify_signature,
)
from chalicelib.domain.errors import PermanentSendError, TransientError
from chalicelib.domain.messages import Channel, OutboundMessage
from chalicelib.domain.sms_text import split_sms
from dev.fakes.twilio_api import FakeTwilioApi
from dev.fakes.twilio_http import Failure

SMS_FROM = "+14155550100"
WHATSAPP_FROM = "whatsapp:+14155238886"
CUSTOMER = "+14155550123"
PUBLIC_BASE_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/api"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def twilio_api() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as fake:
        yield fake


@pytest.fixture
def fake(twilio_api: FakeTwilioApi) -> FakeTwilioApi:
    twilio_api.reset()
    return twilio_api


@pytest.fixture
def sender(fake: FakeTwilioApi) -> TwilioSender:
    return TwilioSender(
        account_sid=fake.account_sid,
        auth_token=fake.auth_token,
        sms_from=SMS_FROM,
        whatsapp_from=WHATSAPP_FROM,
        public_base_url=PUBLIC_BASE_URL,
        api_base_url=fake.base_url,
        timeout_seconds=0.5,
    )


def reply(text: str, channel: Channel = Channel.SMS, **meta: object) -> OutboundMessage:
    recipient = CUSTOMER if channel is Channel.SMS else f"whatsapp:{CUSTOMER}"
    return OutboundMessage(
        message_id="m1",
        conversation_id="c1",
        channel=channel,
        recipient=recipient,
        text=text,
        meta=meta,
    )


def test_sms_reply_reaches_twilio_with_status_callback(
    sender: TwilioSender, fake: FakeTwilioApi
) -> None:
    result = sender.send(reply("Your order #1001 shipped with UPS."))
    [sent] = fake.messages
    assert sent["params"] == {
        "To": CUSTOMER,
        "From": SMS_FROM,
        "Body": "Your order #1001 shipped with UPS.",
        "StatusCallback": f"{PUBLIC_BASE_URL}/webhooks/twilio/status",
    }
    assert (result.provider_id, result.status, result.part_ids) == (
        sent["sid"],
        "queued",
        [sent["sid"]],
    )
    assert (
        result.provider_id and result.provider_id.startswith("SM") and len(result.provider_id) == 34
    )


def test_sms_text_is_sent_as_gsm7(sender: TwilioSender, fake: FakeTwilioApi) -> None:
    sender.send(reply("We\u2019re on it \u2014 thanks\u2026"))
    assert fake.messages[0]["body"] == "We're on it - thanks..."


def test_long_sms_goes_out_in_parts_of_at_most_320(
    sender: TwilioSender, fake: FakeTwilioApi
) -> None:
    result = sender.send(reply("Your parcel is with UPS and arrives on Thursday. " * 15))
    bodies = [m["body"] for m in fake.messages]
    assert len(bodies) == 3
    assert all(len(body) <= 320 for body in bodies)
    assert result.part_ids == [m["sid"] for m in fake.messages]
    assert result.provider_id == result.part_ids[0]


def test_whatsapp_free_form_inside_the_window(sender: TwilioSender, fake: FakeTwilioApi) -> None:
    sender.send(reply("Back in stock \u2014 size M \U0001f455", Channel.WHATSAPP))
    params = fake.messages[0]["params"]
    assert (params["To"], params["From"]) == (f"whatsapp:{CUSTOMER}", WHATSAPP_FROM)
    assert params["Body"] == "Back in stock \u2014 size M \U0001f455"


def test_whatsapp_template_outside_the_window(sender: TwilioSender, fake: FakeTwilioApi) -> None:
    template = {"content_sid": "HX" + "a" * 32, "variables": {"1": "Ava", "2": "1001"}}
    sender.send(reply("ignored free text", Channel.WHATSAPP, template=template))
    params = fake.messages[0]["params"]
    assert params["ContentSid"] == template["content_sid"]
    assert json.loads(params["ContentVariables"]) == {"1": "Ava", "2": "1001"}
    assert "Body" not in params


def test_whatsapp_template_without_content_sid_is_refused(
    sender: TwilioSender, fake: FakeTwilioApi
) -> None:
    with pytest.raises(PermanentSendError):
        sender.send(reply("x", Channel.WHATSAPP, template={"variables": {}}))
    assert fake.requests == []


@pytest.mark.parametrize(("code", "status"), [(21610, 400), (21211, 400), (63016, 400)])
def test_twilio_refusal_is_permanent_with_its_code(
    sender: TwilioSender, fake: FakeTwilioApi, code: int, status: int
) -> None:
    fake.fail(Failure(status=status, code=code))
    with pytest.raises(PermanentSendError) as raised:
        sender.send(reply("Hello again"))
    assert raised.value.provider_code == str(code)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_twilio_outage_is_transient(sender: TwilioSender, fake: FakeTwilioApi, status: int) -> None:
    fake.fail(Failure(status=status, code=20500))
    with pytest.raises(TransientError):
        sender.send(reply("Hello"))
    sender.send(reply("Hello"))  # the queue's retry goes through
    assert len(fake.messages) == 1


def test_a_timeout_before_twilio_accepted_is_transient(
    sender: TwilioSender, fake: FakeTwilioApi
) -> None:
    fake.fail(Failure(status=500, delay=1.5))  # slow, and nothing was created
    with pytest.raises(TransientError):
        sender.send(reply("Hello"))
    assert fake.messages == []


def test_a_timeout_after_twilio_accepted_is_the_accepted_message(
    sender: TwilioSender, fake: FakeTwilioApi
) -> None:
    fake.fail(Failure(status=None, delay=1.5))  # accepted, answered after our timeout
    result = sender.send(reply("Hello"))
    [accepted] = fake.messages
    assert result.provider_id == accepted["sid"] and len(fake.requests) == 1


def test_unreachable_twilio_is_transient(fake: FakeTwilioApi) -> None:
    sender = TwilioSender(
        account_sid=fake.account_sid,
        auth_token=fake.auth_token,
        sms_from=SMS_FROM,
        whatsapp_from=None,
        public_base_url=None,
        api_base_url="http://127.0.0.1:9",
        timeout_seconds=0.5,
    )
    with pytest.raises(TransientError):
        sender.send(reply("Hello"))


def test_wrong_credentials_are_refused(fake: FakeTwilioApi) -> None:
    sender = TwilioSender(
        account_sid=fake.account_sid,
        auth_token="wrong",
        sms_from=SMS_FROM,
        whatsapp_from=None,
        public_base_url=None,
        api_base_url=fake.base_url,
    )
    with pytest.raises(PermanentSendError) as raised:
        sender.send(reply("Hello"))
    assert raised.value.provider_code == "20003"


def test_channel_without_a_configured_sender_is_refused(fake: FakeTwilioApi) -> None:
    sender = TwilioSender(
        account_sid=fake.account_sid,
        auth_token=fake.auth_token,
        sms_from=SMS_FROM,
        whatsapp_from=None,
        public_base_url=None,
        api_base_url=fake.base_url,
    )
    with pytest.raises(PermanentSendError):
        sender.send(reply("Hello", Channel.WHATSAPP))
    assert fake.requests == []


def test_empty_reply_is_refused_without_calling_twilio(
    sender: TwilioSender, fake: FakeTwilioApi
) -> None:
    with pytest.raises(PermanentSendError):
        sender.send(reply("   "))
    assert fake.requests == []


def test_twilio_rest_is_not_imported_with_the_channel() -> None:
    code = "import sys, chalicelib.channels.twilio.channel; print('twilio.rest' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"


class _CallbackReceiver(BaseHTTPRequestHandler):
    """Stands in for Tandem's status route: remembers what Twilio posted."""

    received: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.received.append((self.headers["X-Twilio-Signature"], dict(parse_qsl(body))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def test_status_callback_from_the_fake_verifies_and_parses(fake: FakeTwilioApi) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), _CallbackReceiver) as receiver:
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        public_base_url = f"http://127.0.0.1:{receiver.server_address[1]}"
        sender = TwilioSender(
            account_sid=fake.account_sid,
            auth_token=fake.auth_token,
            sms_from=SMS_FROM,
            whatsapp_from=None,
            public_base_url=public_base_url,
            api_base_url=fake.base_url,
        )
        sid = sender.send(reply("Shipped!")).provider_id
        assert sid and fake.report_status(sid, "undelivered", "30003") == 200
        receiver.shutdown()
    [(signature, form)] = _CallbackReceiver.received
    url = f"{public_base_url}{STATUS_CALLBACK_PATH}"
    assert verify_signature(fake.auth_token, url, form, signature)
    update = parse_status_callback(form)
    assert (update.message_sid, update.status, update.error_code) == (sid, "undelivered", "30003")


def test_retry_after_a_partial_long_sms_sends_only_the_rest(
    sender: TwilioSender, fake: FakeTwilioApi
) -> None:
    long_reply = reply("Your parcel is with UPS and arrives on Thursday. " * 15)
    fake.fail(Failure(status=None))  # the first part goes through untouched
    fake.fail(Failure(status=500))  # then an outage
    with pytest.raises(PartialSendError) as raised:
        sender.send(long_reply)
    [first] = raised.value.sent_part_ids
    retried = long_reply.model_copy(update={"meta": {"sent_part_ids": [first]}})
    result = sender.send(retried)
    assert len(fake.messages) == 3
    assert result.part_ids == [m["sid"] for m in fake.messages]
    assert [m["body"] for m in fake.messages] == split_sms(long_reply.text)
