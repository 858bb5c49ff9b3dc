"""Scheduling and cancelling follow-ups on moto: the record, its one schedule, cancellation."""

from __future__ import annotations

import json

from dev.seed import DEMO_CUSTOMER_ID
from tests.followups.conftest import FollowUpWorld
from tests.followups.support import LINEN_TEE, customer_event, order_event, schedules


def record(world: FollowUpWorld, followup_id: str) -> dict[str, object]:
    found = world.services.followup_parts.records.get(DEMO_CUSTOMER_ID, followup_id)
    assert found is not None
    return dict(found.model_dump(mode="json"))


def test_schedule_records_followup_and_creates_one_at_schedule(world: FollowUpWorld) -> None:
    answer = world.services.followups.schedule_follow_up(
        DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked about the linen tee"
    )
    assert answer["scheduled"] is True and answer["channel"] == "email"
    [schedule] = schedules(world.pipeline.moto_url)
    env = world.pipeline.env
    assert schedule["GroupName"] == "tandem-followups"
    assert schedule["ScheduleExpression"] == "at(2026-06-15T16:00:03)"
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = schedule["Target"]
    assert target["Arn"] == env["FOLLOWUP_TARGET_ARN"]
    assert target["Arn"].endswith(":function:tandem-dev-send_followup")
    assert target["RoleArn"] == env["SCHEDULER_ROLE_ARN"]
    assert target["DeadLetterConfig"] == {"Arn": env["FOLLOWUP_DLQ_ARN"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
    assert json.loads(target["Input"])["followup_id"] == answer["followup_id"]
    stored = record(world, answer["followup_id"])
    assert stored["status"] == "scheduled" and stored["sku"] == LINEN_TEE
    assert stored["due_at"] == "2026-06-15T16:00:03.000Z" and stored["type"] == "product_interest"


def test_profile_shows_the_followup(world: FollowUpWorld) -> None:
    world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked")
    helpdesk = {"X-Api-Key": "dev-helpdesk-key"}
    profile = world.pipeline.get(f"/customers/{DEMO_CUSTOMER_ID}", helpdesk).json_body
    [followup] = profile["followups"]
    assert followup["status"] == "scheduled" and followup["channel"] == "email"
    assert "followup.scheduled" in [e["type"] for e in profile["events"]]


def test_second_request_for_the_same_product_keeps_one_pending(world: FollowUpWorld) -> None:
    followups = world.services.followups
    first = followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked")
    again = followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "sms", "asked again")
    other = followups.schedule_follow_up(DEMO_CUSTOMER_ID, "DRESS-WRAP-GRN", "webchat", "asked")
    assert again["followup_id"] == first["followup_id"]
    assert other["followup_id"] != first["followup_id"]
    assert len(schedules(world.pipeline.moto_url)) == 2


def test_retry_after_a_lost_schedule_recreates_it_once(world: FollowUpWorld) -> None:
    followups = world.services.followups
    first = followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked")
    name = schedules(world.pipeline.moto_url)[0]["Name"]
    world.services.followup_parts.schedules.delete(name)  # as if we crashed before creating it
    followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked")
    followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked")
    assert [s["Name"] for s in schedules(world.pipeline.moto_url)] == [name]
    assert name.startswith(first["followup_id"])


def test_unknown_product_is_refused_as_a_tool_result(world: FollowUpWorld) -> None:
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, "NOPE", "webchat", "")
    assert answer == {
        "scheduled": False,
        "error": "bad_request",
        "message": "unknown product NOPE",
    }
    assert schedules(world.pipeline.moto_url) == []


def test_without_any_consent_nothing_is_scheduled_and_the_record_says_why(
    world: FollowUpWorld,
) -> None:
    no = {"email_marketing": False, "sms_marketing": False, "whatsapp": False}
    world.post_events(customer_event("no-consent", consent=no))
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    assert answer["scheduled"] is False
    assert (answer["status"], answer["reason"]) == ("skipped", "no_consent")
    assert schedules(world.pipeline.moto_url) == []
    assert record(world, answer["followup_id"])["status_reason"] == "no_consent"


def test_already_bought_product_is_not_followed_up(world: FollowUpWorld) -> None:
    world.post_events(order_event("1002", LINEN_TEE, "delivered"))
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    assert (answer["status"], answer["reason"]) == ("skipped", "already_bought")
    assert schedules(world.pipeline.moto_url) == []


def test_buying_the_product_cancels_and_deletes_the_schedule(world: FollowUpWorld) -> None:
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    world.post_events(order_event("1003", LINEN_TEE))
    stored = record(world, answer["followup_id"])
    assert (stored["status"], stored["status_reason"]) == ("cancelled", "bought")
    assert schedules(world.pipeline.moto_url) == []
    again = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    assert again["reason"] == "already_bought"


def test_a_cancelled_order_does_not_cancel(world: FollowUpWorld) -> None:
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    world.post_events(order_event("1004", LINEN_TEE, "cancelled"))
    assert record(world, answer["followup_id"])["status"] == "scheduled"
    assert len(schedules(world.pipeline.moto_url)) == 1


def test_withdrawn_consent_cancels_followups_on_that_channel(world: FollowUpWorld) -> None:
    answer = world.services.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    consent = {"email_marketing": False, "sms_marketing": True, "whatsapp": True}
    world.post_events(customer_event("email-off", consent=consent))
    stored = record(world, answer["followup_id"])
    assert (stored["status"], stored["status_reason"]) == ("cancelled", "no_consent")
    assert schedules(world.pipeline.moto_url) == []


def test_human_takeover_cancels_every_pending_followup(world: FollowUpWorld) -> None:
    followups = world.services.followups
    followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "")
    followups.schedule_follow_up(DEMO_CUSTOMER_ID, "DRESS-WRAP-GRN", "webchat", "")
    assert followups.cancel_for_customer(DEMO_CUSTOMER_ID, "human_takeover") == 2
    assert followups.cancel_for_customer(DEMO_CUSTOMER_ID, "human_takeover") == 0
    assert schedules(world.pipeline.moto_url) == []
    reasons = {
        f["status_reason"] for f in world.services.customers.load(DEMO_CUSTOMER_ID).followups
    }
    assert reasons == {"human_takeover"}


def test_interest_rule_follows_the_store_toggle(world: FollowUpWorld) -> None:
    followups = world.services.followups
    answer = followups.interest_recorded(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat")
    assert answer is not None and answer["scheduled"] is True
    rules = world.services.store_config.followups
    world.services.store_config.followups = rules.model_copy(
        update={"on_interest_not_bought": False}
    )
    assert followups.interest_recorded(DEMO_CUSTOMER_ID, "DRESS-WRAP-GRN", "webchat") is None
