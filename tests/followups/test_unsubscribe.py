"""The unsubscribe link of follow-up emails: signed, a GET changes nothing, a POST opts out."""

from __future__ import annotations

from chalicelib.domain.messages import Channel
from chalicelib.followups.unsubscribe import unsubscribe_token
from dev.seed import DEMO_CUSTOMER_ID
from tests.followups.conftest import FollowUpWorld
from tests.followups.support import LINEN_TEE, schedules

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def token(world: FollowUpWorld, customer_id: str = DEMO_CUSTOMER_ID) -> str:
    return unsubscribe_token(world.pipeline.env["CHAT_SESSION_SECRET"], customer_id, Channel.EMAIL)


def consent(world: FollowUpWorld) -> dict[str, object]:
    return dict(world.services.customers.load(DEMO_CUSTOMER_ID).profile["consent"])


def test_opening_the_link_asks_and_changes_nothing(world: FollowUpWorld) -> None:
    page = world.pipeline.get(f"/unsubscribe/{token(world)}")
    assert page.status_code == 200 and b'<form method="post"' in page.body
    assert consent(world)["email_marketing"] is True


def test_one_click_post_withdraws_email_consent_and_cancels_email_followups(
    world: FollowUpWorld,
) -> None:
    world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    client = world.pipeline.client.http
    answer = client.post(
        f"/unsubscribe/{token(world)}", headers=FORM, body="List-Unsubscribe=One-Click"
    )
    assert answer.status_code == 200 and b"unsubscribed" in answer.body
    assert consent(world) == {"email_marketing": False, "sms_marketing": True, "whatsapp": True}
    assert schedules(world.pipeline.moto_url) == []
    [followup] = world.services.customers.load(DEMO_CUSTOMER_ID).followups
    assert (followup["status"], followup["status_reason"]) == ("cancelled", "no_consent")


def test_a_forged_or_unknown_link_is_not_found(world: FollowUpWorld) -> None:
    forged = token(world).rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAAAAAAAAAA"
    client = world.pipeline.client.http
    for bad in (forged, "nonsense", token(world, "someone-else")):
        assert client.post(f"/unsubscribe/{bad}", headers=FORM, body="").status_code == 404
    assert consent(world)["email_marketing"] is True
