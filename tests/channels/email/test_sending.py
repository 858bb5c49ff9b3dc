"""SES send failures: throttling retried through the queue and sent once; refusals recorded failed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from chalicelib import bootstrap
from dev import resources
from dev.seed import demo_events
from tests.channels.email.flow import (
    FIRST_ID,
    STORE,
    conversation_of,
    customer_mail,
    mail_in,
    sent_mail,
)
from tests.harness import Pipeline, poll_until, start_pipeline


class FailingSes:
    """A real sesv2 client whose first `failures` sends fail with an SES error code."""

    def __init__(self, client: Any, code: str, status: int, failures: int = 1) -> None:
        self.client, self.code, self.status, self.failures = client, code, status, failures
        self.calls = 0

    def send_email(self, **request: Any) -> Any:
        """SendEmail, failing the first times."""
        self.calls += 1
        if self.calls <= self.failures:
            error = {"Error": {"Code": self.code, "Message": "injected"}}
            raise ClientError(
                {**error, "ResponseMetadata": {"HTTPStatusCode": self.status}}, "Send"
            )
        return self.client.send_email(**request)


def pipeline_with(moto_url: str, ses: FailingSes) -> Pipeline:
    """The app on moto with the demo store seeded and this SES client."""
    started = start_pipeline(moto_url, {"sesv2": ses})
    assert started.post_json("/events", {"events": demo_events()}, STORE).status_code == 202
    return started


@pytest.fixture
def real_ses(moto_clean: str) -> Iterator[Any]:
    """A sesv2 client on moto; services are reset after the test."""
    yield boto3.client("sesv2", region_name=resources.REGION, endpoint_url=moto_clean)
    bootstrap.reset(None)


def reply_item(pipeline: Pipeline) -> dict[str, Any]:
    """The stored AI reply to Ava's first mail, as the table holds it."""
    conversation = conversation_of(pipeline, FIRST_ID)
    reply = conversation.messages[1]
    item = pipeline.services.table.get(f"CONV#{conversation.conversation_id}", reply.sk)
    assert item is not None
    return item


def test_throttled_send_is_retried_through_the_queue_and_sent_once(
    moto_clean: str, real_ses: Any
) -> None:
    ses = FailingSes(real_ses, "TooManyRequestsException", 429)
    pipeline = pipeline_with(moto_clean, ses)
    queue = pipeline.env["INBOUND_QUEUE_URL"]
    pipeline.sqs().set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "1"})
    mail_in(pipeline, customer_mail("Where is my order?"), "ses-in-1")
    assert sent_mail(moto_clean) == [] and reply_item(pipeline)["status"] == "pending"
    # The retry comes once the visibility timeout passed: drain until it was sent, with a deadline.
    poll_until(lambda: (pipeline.drain(), sent_mail(moto_clean))[1], bool, seconds=30)
    [reply] = sent_mail(moto_clean)
    assert ses.calls == 2 and "1001" in reply.get_body(preferencelist=("plain",)).get_content()
    item = reply_item(pipeline)
    assert item["status"] == "sent" and reply["X-Ses-Id"] in item["provider_id"]


def test_refused_send_is_recorded_failed_and_not_retried(moto_clean: str, real_ses: Any) -> None:
    ses = FailingSes(real_ses, "MessageRejected", 400, failures=5)
    pipeline = pipeline_with(moto_clean, ses)
    mail_in(pipeline, customer_mail("Where is my order?"), "ses-in-1")
    pipeline.drain()
    item = reply_item(pipeline)
    assert ses.calls == 1 and sent_mail(moto_clean) == []
    assert item["status"] == "failed" and item["error_code"] == "MessageRejected"
