"""A Twilio create that times out after Twilio accepted it is found, never sent again: concurrently too."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import boto3
import pytest

from chalicelib import bootstrap
from chalicelib.channels.sender import ChannelSender
from chalicelib.channels.twilio.channel import TwilioSender
from chalicelib.channels.twilio.delivery import SidClaimStore
from chalicelib.channels.twilio.outbound import PartialSendError
from chalicelib.domain.messages import Channel, OutboundMessage, SendResult
from chalicelib.providers.core import Overrides
from chalicelib.store.keys import SENT_REF, sent_ref_pk
from chalicelib.store.table import Table
from dev.fakes.twilio_api import FakeTwilioApi
from dev.fakes.twilio_http import Failure
from dev.resources import REGION
from tests.channels.twilio.twilio_client import AVA, conversation_of, sms_form, text
from tests.harness import Pipeline
from tests.reliability.support import fresh_pipeline, sms_outcome, together

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


# --- Twilio's list lags behind its creates: look again, within a bounded deadline ------------


def lagging_sender(
    fake: FakeTwilioApi, claims: SidClaimStore | None, lookup: float, settle: float = 5.0
) -> TwilioSender:
    return TwilioSender(
        account_sid=fake.account_sid,
        auth_token=fake.auth_token,
        sms_from=SMS_FROM,
        whatsapp_from=None,
        public_base_url=None,
        api_base_url=fake.base_url,
        timeout_seconds=1.0,
        claims=claims,
        lookup_seconds=lookup,
        settle_seconds=settle,
    )


def table_of(pipeline: Pipeline) -> SidClaimStore:
    return SidClaimStore(pipeline.services.table)


def test_a_timed_out_send_looks_again_while_twilios_list_lags(
    pipeline: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    twilio_api.reset()
    twilio_api.list_lag = 2.0  # shown 2 s after the create; the first look (at 1 s) sees nothing
    twilio_api.fail(Failure(count=1, status=None, delay=3.0))
    result = lagging_sender(twilio_api, table_of(pipeline), lookup=4.0).send(message(0))
    [made] = twilio_api.messages
    assert result.provider_id == made["sid"]


def test_a_retry_looks_for_the_unconfirmed_attempt_before_creating_again(
    pipeline: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    twilio_api.reset()
    twilio_api.list_lag = 60.0  # longer than the first attempt looks
    twilio_api.fail(Failure(count=1, status=None, delay=2.0))
    sender = lagging_sender(twilio_api, table_of(pipeline), lookup=0.5)
    with pytest.raises(PartialSendError) as failed:
        sender.send(message(0))
    assert failed.value.sent_part_ids == [] and failed.value.unconfirmed_since
    meta = {"sent_part_ids": [], "unconfirmed_since": failed.value.unconfirmed_since}
    retried = message(0).model_copy(update={"meta": meta})
    with pytest.raises(PartialSendError):  # too soon: still hidden, so no second create yet
        sender.send(retried)
    twilio_api.list_lag = 0.0  # the queue's next retry: Twilio lists it by then
    result = sender.send(retried)
    [made] = twilio_api.messages
    assert result.provider_id == made["sid"] and len(twilio_api.requests) == 1


def test_a_retry_sends_once_the_unconfirmed_attempt_had_time_to_show_and_did_not(
    pipeline: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    twilio_api.reset()
    twilio_api.fail(Failure(count=1, status=500, delay=2.0))  # slow, and nothing was made
    sender = lagging_sender(twilio_api, table_of(pipeline), lookup=0.3, settle=0.0)
    with pytest.raises(PartialSendError) as failed:
        sender.send(message(0))
    meta: dict[str, Any] = {
        "sent_part_ids": [],
        "unconfirmed_since": failed.value.unconfirmed_since,
    }
    result = sender.send(message(0).model_copy(update={"meta": meta}))
    [made] = twilio_api.messages  # the slow refusal made nothing; the retry made this one
    assert result.provider_id == made["sid"]


def test_a_timed_out_reply_in_a_turn_is_sent_once_though_the_list_lags(
    moto_clean: str, twilio_api: FakeTwilioApi
) -> None:
    """Through the webhook, the inbound queue's retry and the outbox: one message reaches Twilio."""
    claims = SidClaimStore(
        Table(boto3.client("dynamodb", region_name=REGION, endpoint_url=moto_clean), "tandem")
    )
    sender = lagging_sender(twilio_api, claims, lookup=0.5)
    senders: dict[Channel, ChannelSender] = {Channel.SMS: sender, Channel.WHATSAPP: sender}
    pipeline = fresh_pipeline(moto_clean, twilio_api, Overrides(senders=senders))
    twilio_api.list_lag = 2.5  # hidden from the first attempt (timeout 1 s, looks until 1.5 s)
    twilio_api.fail(Failure(count=1, status=None, delay=2.0))
    assert text(pipeline, sms_form("Where is my order?")).status_code == 200
    pipeline.drain()
    outcome = sms_outcome(pipeline, twilio_api)
    assert outcome.sends == 1 and outcome.unsent == 0 and outcome.replies == 1
    [reply] = [m for m in conversation_of(pipeline, "sms", AVA).messages if m.author.value == "ai"]
    ref = pipeline.services.table.get(sent_ref_pk(twilio_api.messages[0]["sid"]), SENT_REF)
    assert ref is not None and ref["sk"] == reply.sk and reply.status == "queued"
    bootstrap.reset(None)


# --- identical messages to one number: each Twilio message is claimed by one outbox item ------


def twin(index: int) -> OutboundMessage:
    """The same words to the same number, from different outbox items."""
    return OutboundMessage(
        message_id=f"twin{index}",
        conversation_id=f"c{index}",
        channel=Channel.SMS,
        recipient="+14155559999",
        text="Thanks! Your return label is on its way.",
    )


@pytest.mark.parametrize("slow", [4, 2])  # all time out, or half time out and half are answered
def test_identical_sends_timing_out_together_each_claim_their_own_message(
    pipeline: Pipeline, twilio_api: FakeTwilioApi, slow: int
) -> None:
    twilio_api.reset()
    twilio_api.fail(Failure(count=slow, status=None, delay=2.0))
    sender = lagging_sender(twilio_api, table_of(pipeline), lookup=2.0)
    results = together([partial(sender.send, twin(i)) for i in range(4)])
    assert all(isinstance(r, SendResult) for r in results), results
    sids = [r.provider_id for r in results]
    assert len(twilio_api.messages) == 4 and sorted(sids) == sorted(
        m["sid"] for m in twilio_api.messages
    )
    owners = {table_of(pipeline).owner(sid) for sid in sids}
    assert owners == {f"c{i}/twin{i}#0" for i in range(4)}
