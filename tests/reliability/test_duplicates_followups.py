"""A follow-up's schedule firing again and at once (at-least-once): one SMS sent, one stored."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import app
from chalicelib.followups.sending import DELIVERED
from dev import resources
from dev.emulators import LambdaContext, SchedulerEmulator
from dev.fakes.twilio_api import FakeTwilioApi
from dev.seed import DEMO_CUSTOMER_ID
from tests.channels.twilio.twilio_client import AVA, conversation_of
from tests.followups.support import (
    LINEN_TEE,
    NOON_IN_NEW_YORK,
    STORE,
    catalog_events,
    scheduler,
    schedules,
)
from tests.harness import Pipeline
from tests.reliability.support import at_once, fresh_pipeline

# The target invoked again (a retry), by several invocations at once, or by the emulator (which
# deletes the schedule afterwards, as ActionAfterCompletion=DELETE does).
FIRING = st.sampled_from(["fire", "fire_at_once", "scheduler"])
PLAN = st.lists(FIRING, min_size=1, max_size=5)
BOUNDED = settings(
    max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)


def with_sms_followup(moto_url: str, twilio_api: FakeTwilioApi) -> tuple[Pipeline, dict[str, Any]]:
    """A fresh pipeline at noon in New York, Ava's SMS follow-up scheduled; its schedule's Input."""
    clock = {"clock": lambda: NOON_IN_NEW_YORK}
    pipeline = fresh_pipeline(moto_url, twilio_api, clock, FOLLOWUP_DELAY_SECONDS="3")
    answer = pipeline.post_json("/events", {"events": catalog_events()}, STORE)
    assert answer.status_code == 202, answer.body
    followups = pipeline.services.followups
    scheduled = followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "sms", "asked")
    assert scheduled["scheduled"] is True and scheduled["channel"] == "sms", scheduled
    [schedule] = schedules(moto_url)
    return pipeline, json.loads(schedule["Target"]["Input"])


def fire(payload: dict[str, Any]) -> dict[str, Any]:
    """One invocation of the follow-up Lambda with the schedule's Input."""
    result: dict[str, Any] = app.send_followup(payload, LambdaContext("send_followup"))
    return result


def run(pipeline: Pipeline, payload: dict[str, Any], plan: list[str], copies: int) -> list[Any]:
    """Carry out the firings; what each invocation answered."""
    emulator = SchedulerEmulator(
        scheduler(pipeline.moto_url), resources.SCHEDULE_GROUP, {"send_followup": app.send_followup}
    )
    results: list[Any] = []
    for step in plan:
        if step == "fire":
            results.append(fire(payload))
        elif step == "fire_at_once":
            results += at_once(lambda: fire(payload), copies)
        else:
            emulator.fire_due(NOON_IN_NEW_YORK + timedelta(minutes=1))
    return results


@BOUNDED
@given(plan=PLAN, copies=st.integers(min_value=2, max_value=4))
@example(plan=["fire_at_once", "scheduler", "fire"], copies=4)
def test_duplicate_and_concurrent_firings_send_one_followup(
    moto_url: str, twilio_api: FakeTwilioApi, plan: list[str], copies: int
) -> None:
    pipeline, payload = with_sms_followup(moto_url, twilio_api)
    results = run(pipeline, payload, plan, copies)
    assert all(isinstance(result, dict) for result in results), results  # no invocation failed
    sends = [m for m in twilio_api.messages if m["params"].get("To") == AVA]
    conversation = conversation_of(pipeline, "sms", AVA)
    stored = [
        (m.author.value, m.meta.get("followup_id"), m.status in DELIVERED)
        for m in conversation.messages
    ]
    assert len(sends) == 1 and stored == [("ai", payload["followup_id"], True)], (
        plan,
        copies,
        sends,
        stored,
    )
    record = pipeline.services.followup_parts.records.get(DEMO_CUSTOMER_ID, payload["followup_id"])
    assert record is not None and record.status == "sent", (plan, record)
