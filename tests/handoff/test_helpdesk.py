"""The helpdesk API: auth, validation, 404/409, resolve and reopen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import bootstrap
from tests.handoff.support import AGENT, HELPDESK, Desk, helpdesk_events, sms_from_ava, start_desk


@pytest.fixture
def desk(moto_clean: str) -> Iterator[Desk]:
    yield start_desk(moto_clean)
    bootstrap.reset(None)


def _conversation(desk: Desk, text: str = "Where is my order 1001?") -> str:
    sms_from_ava(desk.pipeline, text, f"SMh{abs(hash(text))}")
    desk.pipeline.drain()
    return desk.pipeline.services.customers.load("cust-ava").threads["sms#+14155550123"]


def test_every_helpdesk_route_needs_a_helpdesk_key(desk: Desk) -> None:
    conversation_id = _conversation(desk)
    base = f"/conversations/{conversation_id}"
    wrong = {"X-Api-Key": "dev-store-key"}
    assert desk.pipeline.get(base).status_code == 401
    assert desk.pipeline.get(base, wrong).status_code == 401
    for action in ("replies", "resolve", "release"):
        answer = desk.pipeline.post_json(f"{base}/{action}", {}, wrong)
        assert answer.status_code == 401
        assert answer.json_body["error"]["code"] == "unauthorized"


def test_unknown_conversation_is_404_on_every_route(desk: Desk) -> None:
    assert desk.pipeline.get("/conversations/conv_nope", HELPDESK).status_code == 404
    reply = {"text": "hi", "agent": AGENT}
    for action, body in (("replies", reply), ("resolve", {}), ("release", {})):
        answer = desk.pipeline.post_json(f"/conversations/conv_nope/{action}", body, HELPDESK)
        assert answer.status_code == 404, action
        assert answer.json_body["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"agent": AGENT}, "text"),
        ({"text": "  ", "agent": AGENT}, "text"),
        ({"text": "x" * 4001, "agent": AGENT}, "text"),
        ({"text": "hi"}, "agent"),
        ({"text": "hi", "agent": "Sam"}, "agent"),
        ({"text": "hi", "agent": {"id": "u-7"}}, "agent.name"),
        ({"text": "hi", "agent": {"id": 7, "name": "Sam"}}, "agent.id"),
    ],
)
def test_invalid_reply_is_400_naming_the_field(desk: Desk, body: dict, field: str) -> None:
    conversation_id = _conversation(desk)
    answer = desk.pipeline.post_json(f"/conversations/{conversation_id}/replies", body, HELPDESK)
    assert answer.status_code == 400
    assert answer.json_body["error"]["field"] == field


def test_reply_body_must_be_a_json_object(desk: Desk) -> None:
    conversation_id = _conversation(desk)
    path = f"/conversations/{conversation_id}/replies"
    assert desk.pipeline.post_json(path, ["hi"], HELPDESK).status_code == 400


def test_wrong_state_transitions_are_409(desk: Desk) -> None:
    base = f"/conversations/{_conversation(desk)}"
    released = desk.pipeline.post_json(f"{base}/release", {}, HELPDESK)
    assert released.status_code == 409 and "it is ai" in released.json_body["error"]["message"]
    assert desk.pipeline.post_json(f"{base}/resolve", {}, HELPDESK).status_code == 200
    again = desk.pipeline.post_json(f"{base}/resolve", {}, HELPDESK)
    assert again.status_code == 409 and again.json_body["error"]["code"] == "conflict"
    assert desk.pipeline.post_json(f"{base}/release", {}, HELPDESK).status_code == 409


def test_resolve_emits_resolved_and_a_new_message_reopens_for_the_ai(desk: Desk) -> None:
    conversation_id = _conversation(desk, "It arrived broken!")
    base = f"/conversations/{conversation_id}"
    body = {"agent": AGENT}
    assert desk.pipeline.post_json(f"{base}/resolve", body, HELPDESK).json_body == {
        "conversation_id": conversation_id,
        "state": "resolved",
    }
    events = helpdesk_events(desk.pipeline)
    assert [e["type"] for e in events] == ["escalation.created", "conversation.resolved"]
    assert events[1]["data"]["resolved_by"] == AGENT
    sms_from_ava(desk.pipeline, "One more thing: where is order 1001?", "SMh-reopen")
    desk.pipeline.drain()
    view = desk.pipeline.get(base, HELPDESK).json_body
    assert view["state"] == "ai" and view["transcript"][-1]["author"] == "ai"
    assert "1001" in desk.phone.sent[-1].text


def test_conversation_view_has_state_channel_customer_and_transcript(desk: Desk) -> None:
    conversation_id = _conversation(desk)
    view = desk.pipeline.get(f"/conversations/{conversation_id}", HELPDESK).json_body
    assert view["state"] == "ai" and view["channel"] == "sms"
    assert view["customer"]["name"] == "Ava Lee"
    assert [o["order_number"] for o in view["customer"]["open_orders"]] == ["1001"]
    assert [m["author"] for m in view["transcript"]] == ["customer", "ai"]
    assert all(m["created_at"] for m in view["transcript"])


def test_human_reply_takes_over_an_ai_conversation(desk: Desk) -> None:
    conversation_id = _conversation(desk)
    reply = {"text": "Sam here, anything else?", "agent": AGENT}
    path = f"/conversations/{conversation_id}/replies"
    assert desk.pipeline.post_json(path, reply, HELPDESK).status_code == 201
    sms_from_ava(desk.pipeline, "Yes: can I change the size?", "SMh-next")
    desk.pipeline.drain()
    events = helpdesk_events(desk.pipeline)
    assert [e["type"] for e in events] == ["conversation.customer_message"]
    assert [m.text for m in desk.phone.sent][-1] == reply["text"]


def test_the_transcript_pages_through_a_long_conversation_each_message_once(desk: Desk) -> None:
    conversation_id = _conversation(desk)
    for n in range(5):
        sms_from_ava(desk.pipeline, f"question {n}", f"SMpage{n:027d}")
        desk.pipeline.drain()
    whole = desk.pipeline.services.conversations.load(conversation_id)
    assert whole is not None and len(whole.messages) >= 10  # three pages of 4
    seen: list[str] = []
    url = f"/conversations/{conversation_id}?limit=4"
    while url:
        view = desk.pipeline.get(url, HELPDESK).json_body
        assert len(view["transcript"]) <= 4
        seen += [m["message_id"] for m in view["transcript"]]
        cursor = view["next_cursor"]
        url = f"/conversations/{conversation_id}?limit=4&cursor={cursor}" if cursor else ""
    assert seen == [m.message_id for m in whole.messages]
    unpaged = desk.pipeline.get(f"/conversations/{conversation_id}", HELPDESK).json_body
    assert [
        m["message_id"] for m in unpaged["transcript"]
    ] == seen  # the contract's full transcript
    assert unpaged["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [("cursor=not-a-cursor", "cursor"), ("limit=0", "limit"), ("limit=many", "limit")],
)
def test_a_bad_transcript_page_is_400_naming_the_field(desk: Desk, query: str, field: str) -> None:
    conversation_id = _conversation(desk)
    answer = desk.pipeline.get(f"/conversations/{conversation_id}?{query}", HELPDESK)
    assert answer.status_code == 400
    assert answer.json_body["error"]["field"] == field
