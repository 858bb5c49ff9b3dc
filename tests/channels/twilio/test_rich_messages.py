"""WhatsApp photos, voice notes, locations and button replies: kept, answered or handed to a person."""

from __future__ import annotations

from typing import Any

from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import AVA, conversation_of, seed_demo, text, whatsapp_form
from tests.harness import Pipeline
from tests.reliability.support import helpdesk_events

MEDIA_URL = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
NOT_SURE = "not sure"


def media_form(content_type: str, body: str = "", sid_digit: str = "5") -> dict[str, str]:
    form = whatsapp_form(body, sid_digit)
    form.update(NumMedia="1", MediaContentType0=content_type, MediaUrl0=MEDIA_URL)
    return form


def replies(twilio_api: FakeTwilioApi) -> list[str]:
    return [str(m["params"].get("Body", "")) for m in twilio_api.messages]


def packet(pipeline: Pipeline) -> dict[str, Any]:
    [created] = [e for e in helpdesk_events(pipeline) if e["type"] == "escalation.created"]
    return dict(created["data"])


def test_a_photo_without_words_is_kept_and_handed_to_a_person(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    assert text(twilio, media_form("image/jpeg")).status_code == 200
    twilio.drain()
    conversation = conversation_of(twilio, "whatsapp", f"whatsapp:{AVA}")
    first = conversation.messages[0]
    assert [(a["content_type"], a["url"]) for a in first.attachments] == [("image/jpeg", MEDIA_URL)]
    assert conversation.state.value == "human"
    [reply] = replies(twilio_api)
    assert NOT_SURE not in reply and "reply by" in reply  # the holding reply
    sent = packet(twilio)
    shown = [a for entry in sent["transcript"] for a in entry.get("attachments") or []]
    assert ("image/jpeg", MEDIA_URL) in [(a["content_type"], a["url"]) for a in shown]


def test_a_voice_note_is_handed_to_a_person(twilio: Pipeline, twilio_api: FakeTwilioApi) -> None:
    seed_demo(twilio)
    assert text(twilio, media_form("audio/ogg")).status_code == 200
    twilio.drain()
    assert conversation_of(twilio, "whatsapp", f"whatsapp:{AVA}").state.value == "human"
    [reply] = replies(twilio_api)
    assert NOT_SURE not in reply


def test_a_button_reply_is_answered_as_its_text(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    form = whatsapp_form("", "6")
    form.update(ButtonText="Where is my order?", ButtonPayload="track_order")
    assert text(twilio, form).status_code == 200
    twilio.drain()
    [reply] = replies(twilio_api)
    assert "1001" in reply and NOT_SURE not in reply


def test_a_shared_location_is_acknowledged_and_kept(
    twilio: Pipeline, twilio_api: FakeTwilioApi
) -> None:
    seed_demo(twilio)
    form = whatsapp_form("", "7")
    form.update(
        Latitude="37.7879",
        Longitude="-122.4075",
        Address="1 Market St, San Francisco",
        Label="Home",
    )
    assert text(twilio, form).status_code == 200
    twilio.drain()
    [reply] = replies(twilio_api)
    assert NOT_SURE not in reply and "1 Market St" in reply
    first = conversation_of(twilio, "whatsapp", f"whatsapp:{AVA}").messages[0]
    assert first.meta["location"]["latitude"] == 37.7879
