"""Issue 5 on SMS: a damaged item escalates; the customer's phone gets the human's reply via Twilio."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import AVA, conversation_of, seed_demo, sms_form, text
from tests.harness import Pipeline

HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}


def helpdesk_events(pipeline: Pipeline) -> list[dict[str, object]]:
    sqs, url = pipeline.sqs(), pipeline.env["HELPDESK_QUEUE_URL"]
    found = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for message in found:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return [json.loads(message["Body"]) for message in found]


def test_damaged_item_by_sms_reaches_a_human_who_answers_on_the_customers_phone(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    text(twilio, sms_form("My order #1001 arrived broken", "1"))
    twilio.drain()
    [created] = helpdesk_events(twilio)
    packet = created["data"]
    assert created["type"] == "escalation.created" and packet["channel"] == "sms"  # type: ignore[index]
    assert ("damaged_item", "broken") in [(r["code"], r["evidence"]) for r in packet["reasons"]]  # type: ignore[index]
    respond_by = datetime.fromisoformat(str(packet["respond_by"]).replace("Z", "+00:00"))  # type: ignore[index]
    assert abs(respond_by - (datetime.now(UTC) + timedelta(seconds=86400))) < timedelta(minutes=1)
    assert len(twilio_api.messages) == 1  # the one holding reply

    for digit, words in (("2", "hello?"), ("3", "anyone there?")):
        text(twilio, sms_form(words, digit))
    twilio.drain()
    assert [e["type"] for e in helpdesk_events(twilio)] == ["conversation.customer_message"] * 2
    assert len(twilio_api.messages) == 1

    conversation = conversation_of(twilio, "sms", AVA)
    path = f"/conversations/{conversation.conversation_id}"
    human = {"text": "Sam here: a replacement ships today.", "agent": {"id": "s1", "name": "Sam"}}
    assert twilio.post_json(f"{path}/replies", human, HELPDESK).status_code == 201
    last = twilio_api.messages[-1]["params"]
    assert (last["To"], last["Body"]) == (AVA, human["text"])

    assert twilio.post_json(f"{path}/release", {}, HELPDESK).status_code == 200
    text(twilio, sms_form("where is order 1001 now?", "4"))
    twilio.drain()
    assert "1001" in twilio_api.messages[-1]["params"]["Body"] and len(twilio_api.messages) == 3
