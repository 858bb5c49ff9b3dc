"""SES faults on the email channel: a retryable failure is sent once later, a refusal never twice."""

from __future__ import annotations

import logging

import pytest

from chalicelib.runtime.observability import logger
from dev.fakes.twilio_api import FakeTwilioApi
from dev.resources import MAX_RECEIVES
from tests.channels.email.flow import FIRST_ID, conversation_of, customer_mail, mail_in, sent_mail
from tests.harness import Pipeline
from tests.reliability.faults import AwsFaults
from tests.reliability.support import Records, fresh_pipeline, queue_depth

SEND = "sesv2.SendEmail"


def email_faults(pipeline: Pipeline) -> AwsFaults:
    """Faults on the table, the queues and the SES v2 client that sends replies."""
    return AwsFaults(pipeline.services, also=[pipeline.services.sesv2])


def ai_reply_status(pipeline: Pipeline) -> list[str | None]:
    """The status of each AI reply in the conversation of Ava's first mail."""
    messages = conversation_of(pipeline, FIRST_ID).messages
    return [m.status for m in messages if m.author.value == "ai"]


def clean_email_calls(moto_url: str, twilio_api: FakeTwilioApi) -> list[str]:
    """The AWS calls from a received mail to the sent reply, without faults."""
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = email_faults(pipeline)
    faults.reset()
    mail_in(pipeline, customer_mail("Hi, where is my order?"), "ses-in-1")
    assert len(sent_mail(moto_url)) == 1
    return list(faults.calls)


@pytest.mark.parametrize(
    "code", ["ThrottlingException", "TooManyRequestsException", "InternalFailure"]
)
def test_a_retryable_ses_failure_is_retried_through_the_queue_and_sent_once(
    moto_url: str, twilio_api: FakeTwilioApi, code: str
) -> None:
    calls = clean_email_calls(moto_url, twilio_api)
    [send] = [i for i, name in enumerate(calls) if name == SEND]
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = email_faults(pipeline)
    faults.reset(fail_at={send}, code=code)
    mail_in(pipeline, customer_mail("Hi, where is my order?"), "ses-in-1")
    assert len(sent_mail(moto_url)) == 1
    assert len(faults.positions(SEND)) == 2  # the failed try and the queue's retry
    assert ai_reply_status(pipeline) == ["sent"]
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0


def test_a_refused_mail_is_recorded_failed_and_never_retried(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = email_faults(pipeline)
    faults.reset(code="MessageRejected", always={SEND})
    mail_in(pipeline, customer_mail("Hi, where is my order?"), "ses-in-1")
    assert sent_mail(moto_url) == []
    assert len(faults.positions(SEND)) == 1
    assert ai_reply_status(pipeline) == ["failed"]
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL", dlq=True) == 0


def test_ses_throttled_on_every_try_ends_with_a_person_not_in_the_dead_letter_queue(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    faults = email_faults(pipeline)
    faults.reset(always={SEND})
    mail_in(pipeline, customer_mail("Hi, where is my order?"), "ses-in-1")
    assert sent_mail(moto_url) == []
    # Every try sends the reply; the last one then tries the holding reply (issue 24 item 7).
    assert len(faults.positions(SEND)) == MAX_RECEIVES + 1
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL", dlq=True) == 0
    assert ai_reply_status(pipeline) == ["failed", "failed"]  # the answer, the holding reply
    assert conversation_of(pipeline, FIRST_ID).state.value == "human"


def test_a_poison_mail_notification_reaches_the_dead_letter_queue_with_an_error_log(
    moto_url: str, twilio_api: FakeTwilioApi
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    records = Records()
    logging.getLogger(logger.name).addHandler(records)
    try:  # the S3 action names a mail that is not in the bucket: every try fails
        mail_in(pipeline, customer_mail("Hi"), "ses-in-1", s3_key="inbound/missing-mail")
    finally:
        logging.getLogger(logger.name).removeHandler(records)
    assert queue_depth(pipeline, "INBOUND_EMAIL_QUEUE_URL") == 0
    assert queue_depth(pipeline, "INBOUND_EMAIL_QUEUE_URL", dlq=True) == 1
    failed = [r for r in records.seen if r.msg == "inbound email failed, returned to the queue"]
    assert len(failed) == MAX_RECEIVES and all(r.levelno == logging.ERROR for r in failed)
    assert sent_mail(moto_url) == []
