"""Escalation end to end on moto server: one packet, messages forwarded, a human replies, release."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.domain.escalations import EscalationPacket
from dev.seed import DEMO_PHONE
from tests.handoff.support import AGENT, HELPDESK, Desk, helpdesk_events, sms_from_ava, start_desk


@pytest.fixture
def desk(moto_clean: str) -> Iterator[Desk]:
    yield start_desk(moto_clean)
    bootstrap.reset(None)


def _escalate_by_sms(desk: Desk) -> EscalationPacket:
    sms_from_ava(desk.pipeline, "Hi, my order 1001 arrived damaged, the tee is torn.", "SMa1")
    desk.pipeline.drain()
    events = helpdesk_events(desk.pipeline)
    assert [e["type"] for e in events] == ["escalation.created"]
    return EscalationPacket.model_validate(events[0]["data"])


def test_damaged_item_on_sms_queues_one_packet_a_human_can_answer_from(desk: Desk) -> None:
    packet = _escalate_by_sms(desk)
    assert [(r.code, r.evidence) for r in packet.reasons] == [("damaged_item", "damaged")]
    assert packet.channel == "sms" and packet.priority == "high"
    assert [o.order_number for o in packet.customer.open_orders] == ["1001"]
    shipment = packet.customer.open_orders[0].shipment
    assert shipment and shipment.tracking_number == "1Z999AA10123456784"
    assert packet.customer.name == "Ava Lee" and packet.customer.tier == "gold"
    assert packet.customer.lifetime_value == 66
    respond_by = datetime.fromisoformat(packet.respond_by.replace("Z", "+00:00"))
    expected = datetime.now(UTC) + timedelta(seconds=86400)
    assert abs((respond_by - expected).total_seconds()) < 60
    assert [m.author for m in packet.transcript] == ["customer", "ai"]
    assert "torn" in packet.transcript[0].text and "torn" in packet.summary
    assert packet.reply.reply.url.endswith(f"/conversations/{packet.conversation_id}/replies")
    assert [m.recipient for m in desk.phone.sent] == [DEMO_PHONE]


def test_while_human_owned_messages_go_to_the_helpdesk_not_the_ai(desk: Desk) -> None:
    packet = _escalate_by_sms(desk)
    sms_from_ava(desk.pipeline, "Also the box was wet.", "SMa2")
    sms_from_ava(desk.pipeline, "Please hurry, it was a gift.", "SMa3")
    desk.pipeline.drain()
    events = helpdesk_events(desk.pipeline)
    assert [e["type"] for e in events] == ["conversation.customer_message"] * 2
    assert [e["data"]["message"]["text"] for e in events] == [
        "Also the box was wet.",
        "Please hurry, it was a gift.",
    ]
    assert {e["data"]["escalation_id"] for e in events} == {packet.escalation_id}
    assert len(desk.phone.sent) == 1  # the holding reply only


def test_human_reply_reaches_the_phone_and_release_hands_back(desk: Desk) -> None:
    packet = _escalate_by_sms(desk)
    sms_from_ava(desk.pipeline, "Also the box was wet.", "SMa2")
    desk.pipeline.drain()
    assert len(helpdesk_events(desk.pipeline)) == 1
    path = f"/conversations/{packet.conversation_id}"
    text = "So sorry, Ava! A new tee ships today; keep the torn one."
    answer = desk.pipeline.post_json(f"{path}/replies", {"text": text, "agent": AGENT}, HELPDESK)
    assert answer.status_code == 201, answer.body
    assert answer.json_body["status"] == "sent" and answer.json_body["state"] == "human"
    assert desk.phone.sent[-1].text == text and desk.phone.sent[-1].recipient == DEMO_PHONE
    released = desk.pipeline.post_json(f"{path}/release", {}, HELPDESK)
    assert released.status_code == 200 and released.json_body["state"] == "ai"
    sms_from_ava(desk.pipeline, "Thanks! Where is my order 1001 now?", "SMa4")
    desk.pipeline.drain()
    assert "1001" in desk.phone.sent[-1].text and len(desk.phone.sent) == 3
    history = [m.text for m in desk.agent.contexts[-1].history()]
    assert text in history  # the AI sees what the human said
    assert helpdesk_events(desk.pipeline) == []  # back with the AI: nothing forwarded


def test_web_chat_shows_the_handoff_and_the_human_reply_with_the_agent_name(desk: Desk) -> None:
    from dev.seed import identity_token

    pipeline = desk.pipeline
    token = identity_token(pipeline.env["CHAT_IDENTITY_SECRET"])
    session = pipeline.post_json("/chat/sessions", {"identity_token": token}).json_body
    auth = {"Authorization": f"Bearer {session['token']}"}
    path = f"/chat/sessions/{session['session_id']}/messages"
    pipeline.post_json(path, {"text": "The mug arrived broken!"}, auth)
    pipeline.drain()
    listed = pipeline.get(path, auth).json_body
    assert listed["handoff"]["state"] == "human" and listed["handoff"]["respond_by"]
    reply = {"text": "Sorry! A replacement is on its way.", "agent": AGENT}
    conversation = f"/conversations/{session['session_id']}/replies"
    assert pipeline.post_json(conversation, reply, HELPDESK).status_code == 201
    last = pipeline.get(path, auth).json_body["messages"][-1]
    assert last["author"] == "human" and last["agent_name"] == "Sam Rivera"
    assert [e["type"] for e in helpdesk_events(pipeline)] == ["escalation.created"]
