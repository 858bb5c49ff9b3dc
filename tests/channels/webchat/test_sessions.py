"""Web-chat endpoints through the API on moto server: tokens, identity, CORS, retried sends."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from chalicelib import bootstrap
from dev.seed import demo_events, identity_token
from tests.harness import Pipeline, start_pipeline

SHOP = "https://shop.example"


@pytest.fixture
def chat(moto_clean: str) -> Iterator[Pipeline]:
    yield start_pipeline(moto_clean, CHAT_ALLOWED_ORIGINS=f"{SHOP},https://other.example")
    bootstrap.reset(None)


def session(pipeline: Pipeline, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = pipeline.post_json("/chat/sessions", body or {})
    assert answer.status_code == 201, answer.body
    return dict(answer.json_body)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def messages_path(opened: dict[str, Any]) -> str:
    return f"/chat/sessions/{opened['session_id']}/messages"


def expired(secret: str, **claims: Any) -> str:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    return jwt.encode({**claims, "exp": past}, secret, algorithm="HS256")


def test_a_session_answers_its_id_token_and_expiry(chat: Pipeline) -> None:
    opened = session(chat, {"visitor_id": "visitor-1"})
    assert opened["session_id"].startswith("chat_") and opened["expires_at"].endswith("Z")
    claims = jwt.decode(opened["token"], chat.env["CHAT_SESSION_SECRET"], algorithms=["HS256"])
    assert claims["sid"] == opened["session_id"] and "ref" not in claims


def test_bad_identity_tokens_get_401_naming_the_field(chat: Pipeline) -> None:
    secret = chat.env["CHAT_IDENTITY_SECRET"]
    cases = [
        "not-a-jwt",
        expired(secret, sub="cust-ava"),
        jwt.encode({"sub": "cust-ava"}, secret, algorithm="HS256"),  # no exp
        identity_token("another-secret-entirely-32-bytes-long"),
        jwt.encode(
            {"exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)}, secret, algorithm="HS256"
        ),
    ]
    for token in cases:
        answer = chat.post_json("/chat/sessions", {"identity_token": token})
        assert answer.status_code == 401, token
        assert answer.json_body["error"]["field"] == "identity_token"


def test_bad_session_bodies_get_400(chat: Pipeline) -> None:
    bad_zones = (
        {"time_zone": "Mars/Olympus_Mons"},
        {"time_zone": "../etc/passwd"},
        {"time_zone": 9},
    )
    for body in (
        {"visitor_id": "has spaces"},
        {"identity_token": 42},
        {"visitor_id": "x" * 200},
        *bad_zones,
    ):
        answer = chat.post_json("/chat/sessions", body)
        assert answer.status_code == 400 and answer.json_body["error"]["field"] in body


def test_messages_need_the_sessions_own_valid_token(chat: Pipeline) -> None:
    mine, other = session(chat), session(chat)
    secret = chat.env["CHAT_SESSION_SECRET"]
    cases = {
        None: 401,
        "Basic abc": 401,
        "Bearer garbage": 401,
        f"Bearer {expired(secret, sid=mine['session_id'])}": 401,
        f"Bearer {other['token']}": 403,
    }
    for header, status in cases.items():
        headers = {"Authorization": header} if header else {}
        assert chat.post_json(messages_path(mine), {"text": "hi"}, headers).status_code == status, (
            header
        )
        assert chat.get(messages_path(mine), headers).status_code == status, header


def test_message_bodies_are_validated(chat: Pipeline) -> None:
    opened = session(chat)
    for body, field in (
        ({}, "text"),
        ({"text": "  "}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"text": "hi", "client_message_id": "not-a-uuid"}, "client_message_id"),
    ):
        answer = chat.post_json(messages_path(opened), body, bearer(opened["token"]))
        assert answer.status_code == 400 and answer.json_body["error"]["field"] == field


def test_a_retried_post_with_the_same_client_message_id_is_stored_once(chat: Pipeline) -> None:
    opened = session(chat)
    body = {"text": "hello?", "client_message_id": str(uuid.uuid4())}
    ids = {
        chat.post_json(messages_path(opened), body, bearer(opened["token"])).json_body["message_id"]
        for _ in range(3)
    }
    chat.drain()
    listed = chat.get(messages_path(opened), bearer(opened["token"])).json_body["messages"]
    assert len(ids) == 1
    assert [m["author"] for m in listed] == ["customer", "ai"]


def test_the_cursor_returns_only_newer_messages(chat: Pipeline) -> None:
    chat.post_json("/events", {"events": demo_events()}, {"X-Api-Key": "dev-store-key"})
    opened = session(chat, {"identity_token": identity_token(chat.env["CHAT_IDENTITY_SECRET"])})
    auth = bearer(opened["token"])
    chat.post_json(messages_path(opened), {"text": "hi"}, auth)
    chat.drain()
    first = chat.get(messages_path(opened), auth).json_body
    chat.post_json(messages_path(opened), {"text": "where is order 1001?"}, auth)
    chat.drain()
    newer = chat.get(f"{messages_path(opened)}?after={first['cursor']}", auth).json_body
    assert [m["author"] for m in newer["messages"]] == ["customer", "ai"]
    assert "1001" in newer["messages"][1]["text"] and newer["cursor"] > first["cursor"]


def test_a_poll_reads_the_messages_after_its_cursor_not_the_whole_chat(chat: Pipeline) -> None:
    opened = session(chat)
    auth = bearer(opened["token"])
    for n in range(3):
        chat.post_json(messages_path(opened), {"text": f"hello {n}"}, auth)
        chat.drain()
    first = chat.get(messages_path(opened), auth).json_body
    assert len(first["messages"]) == 6
    returned: list[int] = []
    chat.services.table.client.meta.events.register(
        "after-call.dynamodb.Query", lambda parsed, **_: returned.append(len(parsed["Items"]))
    )
    chat.post_json(messages_path(opened), {"text": "one more"}, auth)
    chat.drain()
    returned.clear()
    newer = chat.get(f"{messages_path(opened)}?after={first['cursor']}", auth).json_body
    assert [m["text"] for m in newer["messages"]][:1] == ["one more"]
    assert returned == [len(newer["messages"])]  # the new messages only
    too_long = chat.get(f"{messages_path(opened)}?after={'x' * 400}", auth)
    assert too_long.status_code == 400 and too_long.json_body["error"]["field"] == "after"


def test_cors_allows_configured_origins_only(chat: Pipeline) -> None:
    opened = chat.post_json("/chat/sessions", {}, {"Origin": SHOP})
    assert opened.headers["Access-Control-Allow-Origin"] == SHOP
    foreign = chat.post_json("/chat/sessions", {}, {"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers
    preflight = chat.client.http.request(
        "OPTIONS", messages_path(opened.json_body), headers={"Origin": SHOP}
    )
    assert (
        preflight.status_code == 204
        and "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    )
    refused = chat.get(messages_path(opened.json_body), {"Origin": SHOP})
    assert refused.status_code == 401 and refused.headers["Access-Control-Allow-Origin"] == SHOP
