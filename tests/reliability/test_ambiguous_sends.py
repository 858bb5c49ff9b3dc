"""A Twilio create that times out after Twilio accepted it is found, never sent again: concurrently too."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from chalicelib.channels.twilio.channel import TwilioSender
from chalicelib.domain.messages import Channel, OutboundMessage, SendResult
from dev.fakes.twilio_api import FakeTwilioApi
from dev.fakes.twilio_http import Failure

SMS_FROM = "+14155550100"
SENDS = 8


@pytest.fixture
def slow_twilio() -> Iterator[FakeTwilioApi]:
    """Twilio accepting every create and answering after the sender's timeout."""
    with FakeTwilioApi() as fake:
        fake.fail(Failure(count=SENDS, status=None, delay=3.0))
        yield fake


def sender_for(fake: FakeTwilioApi) -> TwilioSender:
    return TwilioSender(
        account_sid=fake.account_sid,
        auth_token=fake.auth_token,
        sms_from=SMS_FROM,
        whatsapp_from=None,
        public_base_url=None,
        api_base_url=fake.base_url,
        timeout_seconds=1.5,
    )


def message(index: int) -> OutboundMessage:
    # Pairs of customers get the same words: the lookup must tell them apart by address.
    return OutboundMessage(
        message_id=f"m{index}",
        conversation_id=f"c{index}",
        channel=Channel.SMS,
        recipient=f"+1415555{index:04d}",
        text=f"Your order #{1000 + index // 2} has shipped.",
    )


def test_concurrent_timed_out_sends_each_resolve_to_their_own_accepted_message(
    slow_twilio: FakeTwilioApi,
) -> None:
    sender = sender_for(slow_twilio)
    results: dict[int, SendResult] = {}
    errors: list[BaseException] = []

    def send(index: int) -> None:
        try:
            results[index] = sender.send(message(index))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(SENDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(results) == SENDS
    by_sid = {m["sid"]: m for m in slow_twilio.messages}
    assert len(slow_twilio.messages) == SENDS  # every message once, none twice
    for index, result in results.items():
        sent = by_sid[result.provider_id]
        assert (sent["to"], sent["body"]) == (message(index).recipient, message(index).text)
    assert len({r.provider_id for r in results.values()}) == SENDS
