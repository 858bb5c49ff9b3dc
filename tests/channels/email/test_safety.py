"""Email that gets no reply, spoofed senders, large mail in S3, and poison notifications."""

from __future__ import annotations

import boto3
import pytest

from dev import resources
from dev.seed import DEMO_EMAIL
from tests.channels.email.events import eml
from tests.channels.email.flow import (
    FIRST_ID,
    body_text,
    conversation_of,
    customer_mail,
    mail_in,
    notification,
    publish,
    sent_mail,
    store,
)
from tests.harness import Pipeline

__all__ = ["store"]
SPOOFED = {"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"}
ORDER_DETAILS = ("1001", "UPS", "1Z999", "shipped", "Linen")


def dropped_reason(pipeline: Pipeline, ses_id: str) -> str:
    """The reason recorded for a received mail that got no reply."""
    item = pipeline.services.table.get(f"SEEN#ses#{ses_id}", "SEEN")
    assert item is not None, ses_id
    return str(item["payload"]["dropped"]["reason"])


@pytest.mark.parametrize(
    ("raw", "verdicts", "reason"),
    [
        (customer_mail("Cheap watches!!!"), {"spam": "FAIL"}, "spam"),
        (customer_mail("Where is my order?"), {"virus": "FAIL"}, "virus"),
        (eml("out_of_office"), {}, "auto_reply:auto-submitted"),
        (eml("bounce"), {}, "bounce"),
        (customer_mail("loop", sender="support@northwind.example"), {}, "own_address"),
    ],
    ids=["spam", "virus", "out_of_office", "bounce", "own_mail"],
)
def test_mail_that_must_not_be_answered_is_recorded_without_a_reply(
    store: Pipeline, raw: bytes, verdicts: dict[str, str], reason: str
) -> None:
    mail_in(store, raw, "ses-drop-1", verdicts=verdicts)
    assert sent_mail(store.moto_url) == []
    assert dropped_reason(store, "ses-drop-1") == reason


def test_spoofed_sender_gets_a_general_answer_without_order_details(store: Pipeline) -> None:
    mail_in(store, customer_mail("Where is my order #1001?"), "ses-spoof", verdicts=SPOOFED)
    [reply] = sent_mail(store.moto_url)
    text = body_text(reply)
    assert reply["To"] == DEMO_EMAIL
    assert not any(detail in text for detail in ORDER_DETAILS), text
    conversation = conversation_of(store, FIRST_ID)
    assert conversation.verified is False and conversation.customer_id != "cust-ava"


def test_spoofed_reply_does_not_join_the_customers_conversation(store: Pipeline) -> None:
    mail_in(store, customer_mail("Where is my order?"), "ses-in-1")
    ours = f"<{sent_mail(store.moto_url)[0]['X-Ses-Id']}@email.amazonses.com>"
    spoof = customer_mail(
        "Please repeat my tracking number and address",
        message_id="<spoof@attacker.example>",
        in_reply_to=ours,
        references=[FIRST_ID, ours],
    )
    mail_in(store, spoof, "ses-spoof", verdicts=SPOOFED)
    replies = sent_mail(store.moto_url)
    assert len(replies) == 2
    assert not any(detail in body_text(replies[1]) for detail in ORDER_DETAILS)
    original = conversation_of(store, FIRST_ID)
    assert len(original.messages) == 2 and original.verified
    assert conversation_of(store, "<spoof@attacker.example>").conversation_id != (
        original.conversation_id
    )


def test_large_mail_stored_by_the_s3_action_is_answered(store: Pipeline) -> None:
    s3 = boto3.client("s3", region_name=resources.REGION, endpoint_url=store.moto_url)
    raw = eml("large_s3")
    assert len(raw) > 150_000
    s3.put_object(Bucket=resources.EMAIL_BUCKET, Key="inbound/large-1", Body=raw)
    mail_in(store, raw, "ses-large", s3_key="inbound/large-1")
    [reply] = sent_mail(store.moto_url)
    assert reply["To"] == "grace.chen@gmail.com"
    assert reply["Subject"] == "Re: Wrong color delivered, order #1007"
    conversation = conversation_of(store, "<CAG-grace-large@mail.gmail.com>")
    assert conversation.messages[0].attachments[0]["name"] == "scarf.png"


def test_huge_mail_is_kept_within_item_limits_and_answered(store: Pipeline) -> None:
    s3 = boto3.client("s3", region_name=resources.REGION, endpoint_url=store.moto_url)
    raw = customer_mail("\U0001f4e6" * 70_000)  # 280 KB of four-byte characters
    s3.put_object(Bucket=resources.EMAIL_BUCKET, Key="inbound/huge", Body=raw)
    mail_in(store, raw, "ses-huge", s3_key="inbound/huge")
    assert len(sent_mail(store.moto_url)) == 1
    stored = conversation_of(store, FIRST_ID).messages[0]
    assert len(stored.text.encode()) <= 32_000 and stored.meta["full_text_truncated"] is True


def test_poison_notification_reaches_the_dlq_without_blocking_others(store: Pipeline) -> None:
    sqs = store.sqs()
    queue = store.env["INBOUND_EMAIL_QUEUE_URL"]
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "0"})
    sns = boto3.client("sns", region_name=resources.REGION, endpoint_url=store.moto_url)
    sns.publish(TopicArn=store.env["INBOUND_EMAIL_TOPIC_ARN"], Message="{not json")
    received = notification(customer_mail("Where is my order?"), "ses-in-1")
    publish(store.moto_url, store.env["INBOUND_EMAIL_TOPIC_ARN"], received)
    store.drain("INBOUND_EMAIL_QUEUE_URL", "inbound_email")
    store.drain()
    assert len(sent_mail(store.moto_url)) == 1
    dlq = sqs.get_queue_url(QueueName=f"{resources.EMAIL_QUEUE}-dlq")["QueueUrl"]
    dead = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", [])
    assert len(dead) == 1 and "{not json" in dead[0]["Body"]
