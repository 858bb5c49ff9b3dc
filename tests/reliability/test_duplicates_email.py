"""The same SES notification again and at once, in any order: one message, one turn, one mail."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import app
from dev.emulators import LambdaContext, sqs_event
from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.email.flow import (
    FIRST_ID,
    conversation_of,
    customer_mail,
    notification,
    publish,
)
from tests.channels.email.flow import sent_mail as ses_sent_mail
from tests.harness import Pipeline
from tests.reliability.support import (
    Outcome,
    at_once,
    fresh_pipeline,
    queue_depth,
    redeliver_concurrently,
)

SES_ID = "dup-ses-0001"
# SNS delivers a copy to the queue; Lambda drains the email queue, or the inbound queue; several
# Lambdas run the queued notification at once, or the queued turn (their visibility expired).
STEP = st.sampled_from(["publish", "ingest", "drain", "notification_at_once", "turn_at_once"])
PLAN = st.lists(STEP, min_size=1, max_size=6).map(lambda steps: ["publish", *steps])
BOUNDED = settings(
    max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)


def handle_queued_notifications_at_once(pipeline: Pipeline, copies: int) -> None:
    """Hand the queued notifications to `copies` invocations of the email handler at once."""
    url = pipeline.env["INBOUND_EMAIL_QUEUE_URL"]
    found = pipeline.sqs().receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0
    )
    messages = found.get("Messages", [])
    if not messages:
        return
    arn = pipeline.sqs().get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    event = sqs_event(messages, arn["Attributes"]["QueueArn"])
    for result in at_once(lambda: app.inbound_email(event, LambdaContext("inbound_email")), copies):
        assert not isinstance(result, BaseException), result  # the handler reports, never raises


def drain_both(pipeline: Pipeline) -> None:
    """Lambda's event sources: the email queue's handler, then the agent worker."""
    pipeline.drain("INBOUND_EMAIL_QUEUE_URL", "inbound_email")
    pipeline.drain()


def run(pipeline: Pipeline, plan: list[str], copies: int) -> None:
    """Carry out the plan, then let both queues settle."""
    received = notification(customer_mail("Hi, where is my order?"), SES_ID)
    for step in plan:
        if step == "publish":
            publish(pipeline.moto_url, pipeline.env["INBOUND_EMAIL_TOPIC_ARN"], received)
        elif step == "ingest":
            pipeline.drain("INBOUND_EMAIL_QUEUE_URL", "inbound_email")
        elif step == "drain":
            pipeline.drain()
        elif step == "notification_at_once":
            handle_queued_notifications_at_once(pipeline, copies)
        else:
            redeliver_concurrently(pipeline, copies)
    drain_both(pipeline)


def email_outcome(pipeline: Pipeline) -> Outcome:
    """Count what ended up stored and sent for the customer's mail."""
    conversation = conversation_of(pipeline, FIRST_ID)
    assert conversation is not None, "the mail's thread names a conversation never stored"
    authors = [m.author.value for m in conversation.messages]
    return Outcome(
        customer_messages=authors.count("customer"),
        replies=authors.count("ai"),
        sends=len(ses_sent_mail(pipeline.moto_url)),
        escalated=conversation.state.value == "human",
        unsent=len(conversation.unsent("9999")),
    )


@BOUNDED
@given(plan=PLAN, copies=st.integers(min_value=2, max_value=4))
@example(plan=["publish", "publish", "notification_at_once", "turn_at_once"], copies=4)
def test_duplicate_and_concurrent_ses_notifications_answer_once(
    moto_url: str, twilio_api: FakeTwilioApi, plan: list[str], copies: int
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    run(pipeline, plan, copies)
    outcome = email_outcome(pipeline)
    expected = Outcome(customer_messages=1, replies=1, sends=1, escalated=False, unsent=0)
    assert outcome == expected, (plan, copies, outcome)
    assert queue_depth(pipeline, "INBOUND_EMAIL_QUEUE_URL") == 0
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0
