"""Helpers for handoff tests: a recording SMS sender, SMS in, the helpdesk queue read out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.messages import Channel, InboundMessage, OutboundMessage, SendResult
from chalicelib.outbox.sending import StoredOnlySender
from dev.seed import DEMO_PHONE, demo_events
from tests.agents import TriageAgent
from tests.harness import Pipeline, start_pipeline

HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}
AGENT = {"id": "u-7", "name": "Sam Rivera"}


@dataclass
class RecordingSender:
    """Stands in for the SMS sender: records what would reach the customer's phone."""

    sent: list[OutboundMessage] = field(default_factory=list)

    def send(self, message: OutboundMessage) -> SendResult:
        """Record the message."""
        self.sent.append(message)
        return SendResult(provider_id=f"SM{len(self.sent):032x}", status="sent")


@dataclass
class Desk:
    """The pipeline with a triage agent and a recording SMS sender."""

    pipeline: Pipeline
    agent: TriageAgent
    phone: RecordingSender


def start_desk(moto_url: str, agent: TriageAgent | None = None) -> Desk:
    """The app on moto with the demo customer seeded."""
    agent, phone = agent or TriageAgent(), RecordingSender()
    senders = {Channel.SMS: phone, Channel.WEBCHAT: StoredOnlySender()}
    pipeline = start_pipeline(moto_url, overrides={"agent": agent, "senders": senders})
    store = {"X-Api-Key": "dev-store-key"}
    assert pipeline.post_json("/events", {"events": demo_events()}, store).status_code == 202
    return Desk(pipeline, agent, phone)


def sms_from_ava(pipeline: Pipeline, text: str, sid: str) -> str:
    """Accept an SMS from the demo customer as the Twilio webhook would; returns our message id."""
    message = InboundMessage(
        channel=Channel.SMS,
        source="twilio",
        external_id=sid,
        sender=DEMO_PHONE,
        text=text,
        verified=True,
    )
    return str(pipeline.services.ingest.accept(message).message_id)


def helpdesk_events(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Everything on the helpdesk queue, received and deleted as a consumer would."""
    sqs, url, found = pipeline.sqs(), pipeline.env["HELPDESK_QUEUE_URL"], []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return found
        for message in batch:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def inbound_bodies(pipeline: Pipeline) -> list[dict[str, Any]]:
    """The queued turns, taken off the inbound queue (for tests that call the worker directly)."""
    sqs, url, found = pipeline.sqs(), pipeline.env["INBOUND_QUEUE_URL"], []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in batch:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found
