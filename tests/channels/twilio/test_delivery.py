"""Sending through Twilio: 5xx retried through the queue, 4xx recorded, statuses only move forward."""

from __future__ import annotations

import logging
import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.channels.twilio.delivery import SidClaimStore
from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.errors import TransientError
from chalicelib.domain.messages import Author, iso, utcnow
from chalicelib.store.keys import SENT_REF, sent_ref_pk
from dev.fakes.twilio_api import FakeTwilioApi
from dev.fakes.twilio_http import Failure, status_callback_form
from tests.channels.twilio.twilio_client import AVA, conversation_of, post_form, sms_form, text
from tests.harness import Pipeline, poll_until

STATUS_PATH = "/webhooks/twilio/status"


def short_visibility(pipeline: Pipeline) -> None:
    """Failed turns come back after one second instead of thirty."""
    queue = pipeline.env["INBOUND_QUEUE_URL"]
    pipeline.sqs().set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "1"})


def last_reply(pipeline: Pipeline) -> StoredMessage:
    """The newest message of Ava's SMS conversation."""
    return conversation_of(pipeline, "sms", AVA).messages[-1]


def test_twilio_5xx_is_retried_through_the_queue_and_sent_once(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    short_visibility(twilio)
    twilio_api.fail(Failure(count=1, status=503))
    text(twilio, sms_form("hello there"))
    assert twilio.drain(rounds=1) == 1  # one Lambda invocation: the turn fails
    assert twilio_api.messages == [] and last_reply(twilio).status == "pending"
    retried = poll_until(lambda: twilio.drain(), lambda handled: handled > 0, seconds=10)
    assert retried == 1
    assert [r["status"] for r in twilio_api.requests] == [503, 201]
    assert len(twilio_api.messages) == 1 and last_reply(twilio).status == "queued"


def test_opted_out_number_21610_is_recorded_failed_not_retried_and_an_opt_out(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    short_visibility(twilio)
    twilio_api.fail(Failure(count=1, status=400, code=21610))
    text(twilio, sms_form("hello there"))
    twilio.drain()
    time.sleep(1.2)
    assert twilio.drain() == 0
    reply = last_reply(twilio)
    stored = twilio.services.table.get(_pk(twilio), reply.sk)
    assert (reply.status, stored and stored["error_code"]) == ("failed", "21610")
    assert len(twilio_api.requests) == 1
    # The carrier blocks us until the customer texts START: later replies are skipped, not sent.
    customer_id = conversation_of(twilio, "sms", AVA).customer_id
    assert customer_id is not None
    profile = twilio.services.consent.profile(customer_id)
    assert (profile["opt_out"]["sms"], profile["consent"]["sms_marketing"]) == (True, False)
    text(twilio, sms_form("where is my order?", "3"))
    twilio.drain()
    assert (last_reply(twilio).status, len(twilio_api.requests)) == ("skipped_opted_out", 1)
    text(twilio, sms_form("START", "4"))
    text(twilio, sms_form("where is my order?", "5"))
    twilio.drain()
    assert twilio.services.consent.profile(customer_id)["opt_out"]["sms"] is False
    assert [r["status"] for r in twilio_api.requests] == [400, 201]


def _pk(pipeline: Pipeline) -> str:
    """The partition of Ava's SMS conversation."""
    return f"CONV#{conversation_of(pipeline, 'sms', AVA).conversation_id}"


def report(pipeline: Pipeline, fake: FakeTwilioApi, status: str, code: str | None = None) -> int:
    """Post Twilio's signed status callback for the last message the fake accepted."""
    form = status_callback_form(fake.account_sid, fake.messages[-1], status, code)
    return int(post_form(pipeline, STATUS_PATH, form).status_code)


def test_status_callbacks_move_forward_only_and_keep_the_error_code(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    text(twilio, sms_form("hello there"))
    twilio.drain()
    assert report(twilio, twilio_api, "sent") == 200
    assert last_reply(twilio).status == "sent"
    assert report(twilio, twilio_api, "delivered") == 200
    assert report(twilio, twilio_api, "sent") == 200  # late, out of order
    assert report(twilio, twilio_api, "queued") == 200
    assert last_reply(twilio).status == "delivered"
    assert report(twilio, twilio_api, "undelivered", "30005") == 200
    reply = twilio.services.table.get(_pk(twilio), last_reply(twilio).sk)
    assert reply is not None and (reply["status"], reply["error_code"]) == ("undelivered", "30005")


def test_status_callbacks_that_are_forged_unknown_or_malformed(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    text(twilio, sms_form("hello there"))
    twilio.drain()
    form = status_callback_form(twilio_api.account_sid, twilio_api.messages[-1], "failed", None)
    assert post_form(twilio, STATUS_PATH, form, "Zm9yZ2Vk").status_code == 403
    assert last_reply(twilio).status == "queued"
    unknown = {**form, "MessageSid": "SM" + "f" * 32, "SmsSid": "SM" + "f" * 32}
    assert post_form(twilio, STATUS_PATH, unknown).status_code == 200
    answer = post_form(twilio, STATUS_PATH, {"MessageStatus": "delivered"})
    assert answer.status_code == 400 and answer.json_body["error"]["field"] == "MessageSid"


def pending_long_sms(twilio: Pipeline, message_id: str) -> tuple[Conversation, StoredMessage, str]:
    """Ava's SMS conversation with a pending human reply long enough for several parts."""
    text(twilio, sms_form("hi"))
    twilio.drain()
    conversation = conversation_of(twilio, "sms", AVA)
    words = " ".join(f"Sentence number {i} about your order and our returns." for i in range(20))
    message = StoredMessage(
        message_id=message_id, author=Author.HUMAN, text=words, created_at=iso(utcnow())
    )
    message.status = "pending"
    twilio.services.conversations.add_message(conversation.conversation_id, message)
    return conversation, message, words


def test_long_sms_retried_after_a_partial_send_sends_only_the_missing_parts(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    conversation, message, words = pending_long_sms(twilio, "m_long")
    before = len(twilio_api.messages)
    twilio_api.fail(Failure(count=1, status=None))
    twilio_api.fail(Failure(count=1, status=500))
    with pytest.raises(TransientError):
        twilio.services.outbox.deliver(conversation, message)
    fresh = conversation_of(twilio, "sms", AVA)
    kept = fresh.message("m_long")
    assert kept is not None and len(kept.meta["sent_part_ids"]) == 1
    assert twilio.services.outbox.deliver(fresh, kept) == "queued"
    sent = twilio_api.messages[before:]
    assert " ".join(m["params"]["Body"] for m in sent) == words
    stored = twilio.services.table.get(_pk(twilio), kept.sk)
    assert stored is not None and stored["part_ids"] == [m["sid"] for m in sent]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(["queued", "sent", "delivered", "read", "undelivered", "failed"]))
def test_callbacks_in_any_order_end_at_the_furthest_status(
    twilio: Pipeline, order: list[str]
) -> None:
    message = StoredMessage(
        message_id=f"m_{uuid.uuid4().hex}", author=Author.AI, text="hi", created_at=iso(utcnow())
    )
    message.status = "pending"
    twilio.services.conversations.add_message("conv_order", message)
    for status in order:
        twilio.services.delivery.advance("conv_order", message.sk, status)
    stored = twilio.services.table.get("CONV#conv_order", message.sk)
    first_final = next(s for s in order if s in {"undelivered", "failed"})  # final: first wins
    assert stored is not None and stored["status"] == first_final


# --- the Sid Twilio answered with is claimed in the send's status write (one call, not two) ---


def test_a_reply_s_sid_is_claimed_in_its_status_write_with_no_call_of_its_own(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    from bench.world import CallCounter

    counter = CallCounter()
    counter.attach(twilio.services.table.client)
    text(twilio, sms_form("hello there"))
    counter.take()  # the webhook's
    twilio.drain()
    worker = counter.take()
    reply, [sent] = last_reply(twilio), twilio_api.messages
    owner = f"{conversation_of(twilio, 'sms', AVA).conversation_id}/{reply.message_id}#0"
    assert SidClaimStore(twilio.services.table).owner(sent["sid"]) == owner
    stored = twilio.services.table.get(_pk(twilio), reply.sk)
    assert stored is not None and (stored["status"], stored["provider_id"]) == (
        "queued",
        sent["sid"],
    )
    assert "dynamodb.PutItem" not in worker  # the claim rode in the status transaction


def test_every_part_of_a_long_sms_is_claimed_by_its_own_part(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    conversation, message, _ = pending_long_sms(twilio, "m_parts")
    before = len(twilio_api.messages)
    assert twilio.services.outbox.deliver(conversation, message) == "queued"
    sids = [m["sid"] for m in twilio_api.messages[before:]]
    assert len(sids) > 1
    claims = SidClaimStore(twilio.services.table)
    cid = conversation.conversation_id
    assert [claims.owner(sid) for sid in sids] == [f"{cid}/m_parts#{i}" for i in range(len(sids))]


class Errors(logging.Handler):
    """The error lines Tandem's logger wrote."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


def test_a_sid_claimed_by_a_look_up_first_is_logged_and_the_status_still_moves(
    twilio: Pipeline,
) -> None:
    from chalicelib.runtime.observability import logger

    message = StoredMessage(
        message_id=f"m_{uuid.uuid4().hex}", author=Author.AI, text="hi", created_at=iso(utcnow())
    )
    message.status = "claimed"
    twilio.services.conversations.add_message("conv_taken", message)
    sid = "SM" + uuid.uuid4().hex
    claims = SidClaimStore(twilio.services.table)
    assert claims.claim(sid, "conv_other/m_twin#0")  # a look-up of an identical message won
    errors = Errors()
    logging.getLogger(logger.name).addHandler(errors)
    try:
        moved = twilio.services.delivery.advance(
            "conv_taken",
            message.sk,
            "queued",
            [sid],
            claims={sid: "conv_taken/m#0"},
            provider_id=sid,
        )
    finally:
        logging.getLogger(logger.name).removeHandler(errors)
    stored = twilio.services.table.get("CONV#conv_taken", message.sk)
    assert (
        moved
        and stored is not None
        and (stored["status"], stored["provider_id"])
        == (
            "queued",
            sid,
        )
    )
    assert claims.owner(sid) == "conv_other/m_twin#0"
    ref = twilio.services.table.get(sent_ref_pk(sid), SENT_REF)
    assert ref is not None and ref["sk"] == message.sk
    assert errors.seen == ["a look-up claimed the Sid Twilio answered for this message"]
