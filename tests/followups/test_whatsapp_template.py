"""A WhatsApp follow-up outside the 24-hour window goes out as the store's `followup` template."""

from __future__ import annotations

import json

from dev.fakes.twilio_api import FakeTwilioApi
from dev.seed import DEMO_CUSTOMER_ID
from tests.followups.conftest import FollowUpWorld
from tests.followups.support import LINEN_TEE


def test_whatsapp_followup_outside_the_window_is_sent_as_the_followup_template(
    twilio_world: FollowUpWorld, twilio_api: FakeTwilioApi
) -> None:
    followups = twilio_world.services.followups
    answer = followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "whatsapp", "asked")
    assert answer["scheduled"] is True, answer
    assert twilio_world.fire_after(5) == 1
    [sent] = twilio_api.messages
    params = sent["params"]
    template = twilio_world.services.store_config.whatsapp_templates.followup
    assert params["To"] == "whatsapp:+14155550123"
    assert params["ContentSid"] == template.content_sid and "Body" not in params
    variables = json.loads(params["ContentVariables"])
    assert variables == {
        "1": "Ava",
        "2": "Linen tee (white)",
        "3": "https://northwind-threads.example/p/linen-tee-white",
    }


def test_csat_question_outside_the_window_is_sent_as_the_csat_template(
    twilio_world: FollowUpWorld, twilio_api: FakeTwilioApi
) -> None:
    from datetime import timedelta

    from chalicelib.domain.messages import iso
    from tests.channels.twilio.twilio_client import text, whatsapp_form

    pipeline = twilio_world.pipeline
    assert text(pipeline, whatsapp_form("I want to talk to a human")).status_code == 200
    pipeline.drain()
    bundle = twilio_world.services.customers.load(DEMO_CUSTOMER_ID)
    conversation_id = bundle.threads["whatsapp#whatsapp:+14155550123"]
    two_days_ago = iso(twilio_world.clock() - timedelta(days=2))
    twilio_world.services.conversations.update_meta(conversation_id, last_customer_at=two_days_ago)
    path = f"/conversations/{conversation_id}/resolve"
    assert pipeline.post_json(path, {}, {"X-Api-Key": "dev-helpdesk-key"}).status_code == 200
    params = twilio_api.messages[-1]["params"]
    template = twilio_world.services.store_config.whatsapp_templates.csat
    assert params["ContentSid"] == template.content_sid, params
    assert json.loads(params["ContentVariables"]) == {"1": "Ava"}
