"""`tandem escalations ...`, `reply`, `release`, `resolve`, `export`: the helpdesk's calls."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from tandem_cli.transport import Transport


def list_escalations(transport: Transport, key: str, limit: int = 20) -> list[dict[str, Any]]:
    """Escalated conversations, newest first (the review API's `escalated` flag; nothing moves)."""
    path = f"/review/conversations?flag=escalated&limit={limit}"
    page = transport.request("GET", path, headers={"X-Api-Key": key}).ok()
    return list(page["conversations"])


def escalation_line(item: dict[str, Any]) -> str:
    """One escalated conversation as a terminal line."""
    reasons = ",".join(
        r.get("code", "?") if isinstance(r, dict) else str(r) for r in item.get("reasons") or []
    )
    return f"{item['conversation_id']}  {item['state']:<8} {item['channel']:<8} {item['flagged_at']}  {reasons}"


def pull_events(
    sqs: Any, queue_url: str, wait_seconds: int, keep: bool, tick: Callable[[], None]
) -> Iterator[dict[str, Any]]:
    """The helpdesk queue's events, each deleted once shown (unless `keep`), until it is quiet."""
    while True:
        tick()
        got = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds
        )
        messages = got.get("Messages", [])
        if not messages:
            return
        for message in messages:
            yield json.loads(message["Body"])
            if not keep:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if keep:  # kept messages stay hidden for the visibility timeout: one round only
            return


def event_line(event: dict[str, Any]) -> str:
    """One helpdesk event as a terminal line."""
    data = event.get("data") or {}
    kind = event.get("type", "?")
    if kind == "escalation.created":
        reasons = ",".join(r["code"] for r in data.get("reasons", []))
        return f"{kind}  {data.get('conversation_id')}  {data.get('priority')}  {reasons}  respond by {data.get('respond_by')}"
    text = (data.get("message") or {}).get("text", "")
    return f"{kind}  {data.get('conversation_id')}  {text}".rstrip()


def reply(
    transport: Transport, key: str, conversation_id: str, text: str, agent: str
) -> dict[str, Any]:
    """Answer the customer as a person (takes the conversation over)."""
    body = {"text": text, "agent": {"id": agent.lower().replace(" ", "-"), "name": agent}}
    path = f"/conversations/{conversation_id}/replies"
    answered: dict[str, Any] = transport.request(
        "POST", path, body, headers={"X-Api-Key": key}
    ).ok()
    return answered


def transition(
    transport: Transport, key: str, conversation_id: str, action: str, body: dict[str, Any]
) -> dict[str, Any]:
    """`release` (back to the AI) or `resolve` a conversation."""
    path = f"/conversations/{conversation_id}/{action}"
    done: dict[str, Any] = transport.request("POST", path, body, headers={"X-Api-Key": key}).ok()
    return done


def export_scenario(
    transport: Transport, key: str, conversation_id: str, message_id: str | None
) -> str:
    """A reviewed conversation as a simulation scenario (YAML)."""
    body = {"message_id": message_id} if message_id else {}
    path = f"/conversations/{conversation_id}/scenario"
    answered = transport.request("POST", path, body, headers={"X-Api-Key": key})
    if answered.status >= 300:
        answered.ok()
    return answered.text
