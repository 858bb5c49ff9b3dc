"""The CLI against the local stack (`make run`): chat, an escalation pulled and answered, a DLQ
re-driven, a conversation exported. Each test uses its own customer, so they share one stack."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest
import requests

from tests.harness import RunningStack
from tests.tandem_cli.support import tandem

pytestmark = pytest.mark.stack
HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}


def conversation_id(chat_stdout: str) -> str:
    """The id the chat prints when it ends."""
    last = chat_stdout.strip().splitlines()[-1]
    return last.removeprefix("(conversation ").removesuffix(")")


def escalate(stack: RunningStack, phone: str) -> str:
    """A customer on SMS asks for a person; returns the conversation id."""
    chat = tandem(
        "chat",
        "--channel",
        "sms",
        "--customer",
        phone,
        "-m",
        "I want to talk to a human",
        stack=stack,
    )
    assert chat.returncode == 0, chat.stderr
    assert "support team" in chat.stdout
    return conversation_id(chat.stdout)


def pulled(stack: RunningStack, conversation: str, seconds: float = 30) -> list[dict[str, Any]]:
    """Pull the helpdesk queue until an event of `conversation` comes (events of others too)."""
    deadline, found = time.monotonic() + seconds, []
    while time.monotonic() < deadline and not found:
        pull = tandem("escalations", "pull", "--json", "--wait", "1", stack=stack)
        assert pull.returncode == 0, pull.stderr
        events = [json.loads(line) for line in pull.stdout.splitlines()]
        found = [e for e in events if e["data"]["conversation_id"] == conversation]
    return found


def test_chat_as_the_demo_shopper_on_web_chat(local_stack: RunningStack) -> None:
    chat = tandem("chat", "--customer", "cust-ava", "-m", "where is my order?", stack=local_stack)
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.startswith("ai> ") and "1001" in chat.stdout and "UPS" in chat.stdout


def test_an_escalation_is_listed_pulled_answered_and_resolved(local_stack: RunningStack) -> None:
    conversation = escalate(local_stack, "+14155550177")
    listed = tandem("escalations", "list", stack=local_stack)
    assert listed.returncode == 0 and conversation in listed.stdout
    events = pulled(local_stack, conversation)
    assert [e["type"] for e in events] == ["escalation.created"]
    assert events[0]["data"]["reasons"][0]["code"] == "human_requested"
    answered = tandem(
        "reply", conversation, "Hi, Sam here. How can I help?", "--agent", "Sam", stack=local_stack
    )
    assert answered.returncode == 0 and answered.stdout.split()[0] in ("sent", "queued")
    view = requests.get(
        f"{local_stack.api_url}/conversations/{conversation}", headers=HELPDESK, timeout=10
    ).json()
    assert view["transcript"][-1]["text"] == "Hi, Sam here. How can I help?"
    assert view["state"] == "human"
    resolved = tandem("resolve", conversation, stack=local_stack)
    assert resolved.returncode == 0 and "resolved" in resolved.stdout
    assert tandem("resolve", "conv_unknown", stack=local_stack).returncode == 1


def test_a_dead_lettered_escalation_is_redriven(local_stack: RunningStack) -> None:
    conversation = escalate(local_stack, "+14155550188")
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=local_stack.moto_url)
    queue = sqs.get_queue_url(QueueName="tandem-helpdesk.fifo")["QueueUrl"]
    dead_letter(sqs, queue, conversation)
    waiting = tandem("dlq", "list", stack=local_stack)
    assert waiting.returncode == 0
    assert (
        int(
            next(
                line.split()[1]
                for line in waiting.stdout.splitlines()
                if line.startswith("helpdesk")
            )
        )
        >= 1
    )
    redriven = tandem("dlq", "redrive", "helpdesk", stack=local_stack)
    assert redriven.returncode == 0, redriven.stderr
    assert "helpdesk: " in redriven.stdout and "moving dead letters back" in redriven.stderr
    assert [e["type"] for e in pulled(local_stack, conversation)] == ["escalation.created"]


def dead_letter(sqs: Any, queue: str, conversation: str, seconds: float = 30) -> None:
    """A helpdesk consumer that crashes: it receives the event until SQS dead-letters it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = sqs.receive_message(
            QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=1
        )
        ours = [m for m in got.get("Messages", []) if conversation in m["Body"]]
        if not ours and got.get("Messages") is None:
            return  # moved: the queue no longer has it
    pytest.fail("the event never reached the dead-letter queue")


def test_a_reviewed_conversation_is_exported_as_a_scenario(
    local_stack: RunningStack, tmp_path: Any
) -> None:
    chat = tandem(
        "chat", "--customer", "cust-ava", "-m", "what is your return policy?", stack=local_stack
    )
    conversation = conversation_id(chat.stdout)
    refused = tandem("export", conversation, stack=local_stack)
    assert (
        refused.returncode == 1 and "HTTP 409: no feedback with a correct_answer" in refused.stderr
    )
    url = f"{local_stack.api_url}/conversations/{conversation}"
    reply = requests.get(url, headers=HELPDESK, timeout=10).json()["transcript"][-1]
    feedback = {
        "message_id": reply["message_id"],
        "category": "wrong_answer",
        "what_was_wrong": "vague",
        "correct_answer": "30 days, free returns.",
    }
    assert (
        requests.post(f"{url}/feedback", json=feedback, headers=HELPDESK, timeout=10).status_code
        == 201
    )
    target = tmp_path / "scenario.yaml"
    exported = tandem("export", conversation, "-o", str(target), stack=local_stack)
    assert exported.returncode == 0, exported.stderr
    text = target.read_text(encoding="utf-8")
    assert "what is your return policy?" in text and "30 days" in text
