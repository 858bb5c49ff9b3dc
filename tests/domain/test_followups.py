"""Channel choice and quiet hours of follow-ups: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from chalicelib.domain.followups import address_for, choose_channel, quiet_until, refusal
from chalicelib.domain.messages import Channel

ALL = {"email_marketing": True, "sms_marketing": True, "whatsapp": True}
AVA = {"email": "ava@example.com", "phone": "+14155550123", "consent": ALL}


@pytest.mark.parametrize(
    ("requested", "profile", "chosen"),
    [
        ("webchat", AVA, Channel.EMAIL),  # web chat cannot receive a proactive message
        ("sms", AVA, Channel.SMS),
        ("whatsapp", AVA, Channel.WHATSAPP),
        ("email", AVA, Channel.EMAIL),
        ("sms", {**AVA, "consent": {**ALL, "sms_marketing": False}}, Channel.EMAIL),
        ("sms", {**AVA, "opt_out": {"sms": True}}, Channel.EMAIL),
        ("webchat", {**AVA, "email": None}, Channel.SMS),
        ("webchat", {**AVA, "consent": {"whatsapp": True}}, Channel.WHATSAPP),
        ("webchat", {**AVA, "consent": {}}, None),
        ("webchat", {"consent": ALL}, None),
    ],
)
def test_channel_choice(requested: str, profile: dict[str, object], chosen: Channel | None) -> None:
    assert choose_channel(requested, profile) is chosen


def test_refusals_name_the_reason() -> None:
    assert refusal(Channel.WEBCHAT, AVA) == "channel_not_proactive"
    assert refusal(Channel.EMAIL, {"consent": ALL}) == "no_address"
    assert refusal(Channel.WHATSAPP, {**AVA, "opt_out": {"whatsapp": True}}) == "opted_out"
    assert refusal(Channel.SMS, {**AVA, "consent": {"sms_marketing": None}}) == "no_consent"
    assert refusal(Channel.SMS, AVA) is None


def test_whatsapp_address_comes_from_the_phone_or_a_whatsapp_field() -> None:
    assert address_for(Channel.WHATSAPP, AVA) == "whatsapp:+14155550123"
    assert address_for(Channel.WHATSAPP, {"whatsapp": "+447700900123"}) == "whatsapp:+447700900123"
    assert address_for(Channel.WHATSAPP, {}) is None


NIGHT = (time(21), time(8))


@pytest.mark.parametrize(
    ("now", "window", "zone", "until"),
    [
        (datetime(2026, 6, 15, 16, 0, tzinfo=UTC), NIGHT, "America/New_York", None),
        (
            datetime(2026, 6, 16, 3, 0, tzinfo=UTC),  # 23:00 the evening before, local
            NIGHT,
            "America/New_York",
            datetime(2026, 6, 16, 12, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 6, 16, 9, 0, tzinfo=UTC),  # 05:00 local, after midnight
            NIGHT,
            "America/New_York",
            datetime(2026, 6, 16, 12, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 1, 15, 3, 0, tzinfo=UTC),  # winter: UTC-5
            NIGHT,
            "America/New_York",
            datetime(2026, 1, 15, 13, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 6, 15, 12, 0, tzinfo=UTC),  # 13:00 in London, in a lunch window
            (time(12), time(14)),
            "Europe/London",
            datetime(2026, 6, 15, 13, 0, tzinfo=UTC),
        ),
        (datetime(2026, 6, 15, 3, 0, tzinfo=UTC), (time(0), time(0)), "UTC", None),
        (datetime(2026, 6, 15, 12, 0, tzinfo=UTC), NIGHT, "America/New_York", None),
    ],
)
def test_quiet_hours_end(
    now: datetime, window: tuple[time, time], zone: str, until: datetime | None
) -> None:
    assert quiet_until(now, *window, zone) == until
