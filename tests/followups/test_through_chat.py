"""Issue 6's story end to end: a shopper asks in web chat, accepts a reminder, gets the email."""

from __future__ import annotations

from dev.seed import DEMO_CUSTOMER_ID, identity_token
from tests.followups.conftest import FollowUpWorld
from tests.followups.support import schedules, sent_mail, text_of


def chat(world: FollowUpWorld, text: str) -> list[dict[str, object]]:
    pipeline = world.pipeline
    token = identity_token(pipeline.env["CHAT_IDENTITY_SECRET"])
    opened = pipeline.post_json("/chat/sessions", {"identity_token": token}).json_body
    path, auth = (
        f"/chat/sessions/{opened['session_id']}/messages",
        {"Authorization": f"Bearer {opened['token']}"},
    )
    assert pipeline.post_json(path, {"text": text}, auth).status_code == 202
    pipeline.drain()
    return list(pipeline.get(path, auth).json_body["messages"])


def test_a_reminder_accepted_in_chat_becomes_one_personalized_email(world: FollowUpWorld) -> None:
    reply = chat(world, "Please remind me about the white linen tee later")[-1]
    assert reply["author"] == "ai" and "linen tee" in str(reply["text"]).lower()

    profile = world.services.customers.load(DEMO_CUSTOMER_ID)
    assert [e["data"]["sku"] for e in profile.events if e["type"] == "interest"] == [
        "TEE-LINEN-WHT"
    ]
    [schedule] = schedules(world.pipeline.moto_url)
    assert schedule["ActionAfterCompletion"] == "DELETE"

    assert world.fire_after(5) == 1
    assert world.fire_after(5) == 0
    [mail] = [m for m in sent_mail(world.pipeline.moto_url) if m["To"] == "ava@example.com"]
    body = text_of(mail)
    assert (
        "Ava" in body
        and "Linen tee (white)" in body
        and "30.00 USD" in body
        and "linen-tee-white" in body
    )
    assert mail["List-Unsubscribe"]
    assert schedules(world.pipeline.moto_url) == []
    [followup] = world.services.customers.load(DEMO_CUSTOMER_ID).followups
    assert followup["status"] == "sent"
