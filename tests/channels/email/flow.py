"""Helpers for email end to end: customer mail, SES notifications on the topic, mail SES sent."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import boto3
import pytest
import requests

from chalicelib.channels.email.msgid_headers import MAIL_POLICY
from chalicelib.domain.messages import iso, utcnow
from dev import resources
from dev.seed import DEMO_EMAIL, demo_events
from tests.channels.email.events import ses_notification
from tests.harness import Pipeline

AVA = f"Ava Lee <{DEMO_EMAIL}>"
STORE = {"X-Api-Key": "dev-store-key"}
FIRST_ID = "<ava-first@mail.example.com>"


@pytest.fixture
def store(pipeline: Pipeline) -> Pipeline:
    """The pipeline with the demo store's customer Ava and her orders."""
    assert pipeline.post_json("/events", {"events": demo_events()}, STORE).status_code == 202
    return pipeline


def mail_in(pipeline: Pipeline, raw: bytes, ses_id: str, **options: Any) -> None:
    """Publish SES's notification of a received mail and run the queues as Lambda would."""
    received = notification(raw, ses_id, **options)
    publish(pipeline.moto_url, pipeline.env["INBOUND_EMAIL_TOPIC_ARN"], received)
    pipeline.drain("INBOUND_EMAIL_QUEUE_URL", "inbound_email")
    pipeline.drain()


def conversation_of(pipeline: Pipeline, message_id: str) -> Any:
    """The stored conversation a Message-ID belongs to."""
    owner = pipeline.services.mail_threads.owner(message_id)
    assert owner is not None, message_id
    return pipeline.services.conversations.load(owner.conversation_id)


def customer_mail(
    text: str,
    *,
    subject: str = "Where is my order?",
    sender: str = AVA,
    message_id: str = "<ava-first@mail.example.com>",
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    to: str = "support@northwind.example",
) -> bytes:
    """A customer's plain-text mail, as their client sends it."""
    mail = EmailMessage(policy=MAIL_POLICY)  # msg-ids bare, however long, as clients write them
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Message-ID"] = message_id
    mail["Date"] = "Tue, 24 Nov 2026 11:14:51 +0100"
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = " ".join(references)
    mail.set_content(text)
    return mail.as_bytes()


def notification(raw: bytes, ses_id: str, **options: Any) -> dict[str, Any]:
    """SES's 'Received' notification for a mail (SNS action, base64 unless told otherwise)."""
    received = ses_notification(raw, message_id=ses_id, **options)
    now = iso(utcnow())  # SES stamps the time it received the mail: now, for transcript order
    received["mail"]["timestamp"] = received["receipt"]["timestamp"] = now
    return received


def publish(moto_url: str, topic_arn: str, received: dict[str, Any]) -> None:
    """Publish a receipt notification to the topic, as the SES receipt rule's action does."""
    sns = boto3.client("sns", region_name=resources.REGION, endpoint_url=moto_url)
    sns.publish(
        TopicArn=topic_arn,
        Message=json.dumps(received),
        Subject="Amazon SES Email Receipt Notification",
    )


def sent_mail(moto_url: str) -> list[EmailMessage]:
    """Every raw mail SES sent, parsed, oldest first (moto's /moto-api/data.json)."""
    data = requests.get(f"{moto_url}/moto-api/data.json", timeout=10).json()
    return [_parsed(m) for m in data.get("ses", {}).get("RawMessage", [])]


def _parsed(message: dict[str, Any]) -> EmailMessage:
    # As a mail client gets it: bytes (an 8bit UTF-8 body read back from a str decodes wrongly).
    raw = str(message["raw_data"]).encode("utf-8", "surrogateescape")
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    mail["X-Ses-Id"] = str(message.get("id", ""))
    return mail


def body_text(mail: EmailMessage) -> str:
    """The text/plain part of a mail we sent."""
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())
