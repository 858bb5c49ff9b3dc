"""The walking skeleton end to end on moto server: store events, web chat, the agent worker."""

from __future__ import annotations

from typing import Any

from dev.seed import DEMO_CUSTOMER_ID, demo_events, identity_token
from tests.harness import Pipeline

STORE = {"X-Api-Key": "dev-store-key"}


def open_session(pipeline: Pipeline, token: str | None = None) -> dict[str, Any]:
    body = {"identity_token": token} if token else {}
    response = pipeline.post_json("/chat/sessions", body)
    assert response.status_code == 201, response.body
    return dict(response.json_body)


def ask(pipeline: Pipeline, session: dict[str, Any], text: str) -> list[dict[str, Any]]:
    auth = {"Authorization": f"Bearer {session['token']}"}
    sent = pipeline.post_json(
        f"/chat/sessions/{session['session_id']}/messages", {"text": text}, auth
    )
    assert sent.status_code == 202, sent.body
    pipeline.drain()
    listed = pipeline.get(f"/chat/sessions/{session['session_id']}/messages", auth)
    return list(listed.json_body["messages"])


def test_verified_shopper_gets_their_order_status(pipeline: Pipeline) -> None:
    assert pipeline.post_json("/events", {"events": demo_events()}, STORE).status_code == 202
    token = identity_token(pipeline.env["CHAT_IDENTITY_SECRET"])
    messages = ask(pipeline, open_session(pipeline, token), "where is my order?")
    assert [m["author"] for m in messages] == ["customer", "ai"]
    reply = messages[1]["text"]
    assert "1001" in reply and "UPS" in reply and "1Z999AA10123456784" in reply


def test_anonymous_visitor_gets_no_order_details(pipeline: Pipeline) -> None:
    pipeline.post_json("/events", {"events": demo_events()}, STORE)
    messages = ask(pipeline, open_session(pipeline), "where is my order 1001?")
    reply = messages[-1]["text"]
    assert messages[-1]["author"] == "ai"
    assert "UPS" not in reply and "1Z999" not in reply and "shipped" not in reply


def test_reposting_events_reports_duplicates_and_changes_nothing(pipeline: Pipeline) -> None:
    first = pipeline.post_json("/events", {"events": demo_events()}, STORE).json_body
    helpdesk = {"X-Api-Key": "dev-helpdesk-key"}
    before = pipeline.get(f"/customers/{DEMO_CUSTOMER_ID}", helpdesk).json_body
    again = pipeline.post_json("/events", {"events": demo_events()}, STORE).json_body
    after = pipeline.get(f"/customers/{DEMO_CUSTOMER_ID}", helpdesk).json_body
    assert first == {"accepted": 3, "duplicates": 0}
    assert again == {"accepted": 0, "duplicates": 3}
    assert after == before


def test_consecutive_messages_are_answered_once_together(pipeline: Pipeline) -> None:
    pipeline.post_json("/events", {"events": demo_events()}, STORE)
    session = open_session(pipeline, identity_token(pipeline.env["CHAT_IDENTITY_SECRET"]))
    auth = {"Authorization": f"Bearer {session['token']}"}
    path = f"/chat/sessions/{session['session_id']}/messages"
    for text in ("hi", "where is my order?"):
        pipeline.post_json(path, {"text": text}, auth)
    pipeline.drain()
    messages = pipeline.get(path, auth).json_body["messages"]
    assert [m["author"] for m in messages] == ["customer", "customer", "ai"]
    assert "1001" in messages[-1]["text"]


def test_redelivered_turn_stores_one_reply(pipeline: Pipeline) -> None:
    pipeline.post_json("/events", {"events": demo_events()}, STORE)
    session = open_session(pipeline, identity_token(pipeline.env["CHAT_IDENTITY_SECRET"]))
    auth = {"Authorization": f"Bearer {session['token']}"}
    path = f"/chat/sessions/{session['session_id']}/messages"
    pipeline.post_json(path, {"text": "where is my order?"}, auth)
    body = pipeline.sqs().receive_message(QueueUrl=pipeline.env["INBOUND_QUEUE_URL"])["Messages"][
        0
    ]["Body"]
    import json

    for _ in range(3):
        pipeline.services.turns.handle(json.loads(body))
    messages = pipeline.get(path, auth).json_body["messages"]
    assert [m["author"] for m in messages] == ["customer", "ai"]
