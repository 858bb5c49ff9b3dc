"""Duplicate and concurrent deliveries, in any order: one stored message, one turn, one send."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dev.fakes.twilio_api import FakeTwilioApi
from tests.channels.twilio.twilio_client import sms_form, text
from tests.harness import Pipeline
from tests.reliability.support import (
    exactly_once,
    fresh_pipeline,
    queue_depth,
    redeliver_concurrently,
    sms_outcome,
)

# A delivery plan: webhook posts, queue drains, and concurrent redeliveries of the queued record.
STEP = st.sampled_from(["webhook", "drain", "redeliver_concurrently"])
PLAN = st.lists(STEP, min_size=1, max_size=6).map(lambda steps: ["webhook", *steps])
BOUNDED = settings(
    max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)


def run(pipeline: Pipeline, plan: list[str]) -> None:
    """Carry out the plan, then let the queue settle."""
    for step in plan:
        if step == "webhook":
            assert text(pipeline, sms_form("where is my order?")).status_code == 200
        elif step == "drain":
            pipeline.drain()
        else:
            redeliver_concurrently(pipeline)
    pipeline.drain()


@BOUNDED
@given(plan=PLAN)
def test_duplicate_and_concurrent_sms_deliveries_answer_once(
    moto_url: str, twilio_api: FakeTwilioApi, plan: list[str]
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    run(pipeline, plan)
    outcome = sms_outcome(pipeline, twilio_api)
    assert exactly_once(outcome) and outcome.replies == 1, (plan, outcome)
    assert queue_depth(pipeline, "INBOUND_QUEUE_URL") == 0


@BOUNDED
@given(posts=st.integers(min_value=2, max_value=4), drain_between=st.booleans())
def test_a_retried_chat_post_is_stored_and_answered_once(
    moto_url: str, twilio_api: FakeTwilioApi, posts: int, drain_between: bool
) -> None:
    pipeline = fresh_pipeline(moto_url, twilio_api)
    session = pipeline.post_json("/chat/sessions", {}).json_body
    path = f"/chat/sessions/{session['session_id']}/messages"
    auth = {"Authorization": f"Bearer {session['token']}"}
    body = {
        "text": "do you ship to Canada?",
        "client_message_id": "7d9f5c7e-0000-4000-8000-000000000001",
    }
    ids = set()
    for _ in range(posts):
        ids.add(pipeline.post_json(path, body, auth).json_body["message_id"])
        if drain_between:
            pipeline.drain()
    pipeline.drain()
    messages = pipeline.get(path, auth).json_body["messages"]
    assert len(ids) == 1
    assert [m["author"] for m in messages] == ["customer", "ai"]
