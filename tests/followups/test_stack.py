"""On the running local stack: a follow-up scheduled for the demo customer reaches SES in seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from chalicelib import bootstrap
from chalicelib.config.settings import Settings
from dev import resources
from dev.seed import DEMO_CUSTOMER_ID
from tests.followups.support import LINEN_TEE, STORE, catalog_events, schedules, sent_mail
from tests.harness import RunningStack, poll_until

pytestmark = pytest.mark.stack


def daytime_zone(now: datetime) -> str:
    """A fixed-offset zone where it is early afternoon now, so quiet hours never get in the way."""
    offset = (13 - now.hour) % 24
    offset = offset - 24 if offset > 14 else offset
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


def services_on(stack: RunningStack) -> bootstrap.Services:
    """This process's view of the stack's resources (the names are fixed)."""
    account = f"{resources.REGION}:{resources.ACCOUNT}"
    settings = Settings(
        aws_endpoint_url=stack.moto_url,
        followup_target_arn=f"arn:aws:lambda:{account}:function:tandem-dev-send_followup",
        scheduler_role_arn=f"arn:aws:iam::{resources.ACCOUNT}:role/tandem-scheduler",
        followup_dlq_arn=f"arn:aws:sqs:{account}:{resources.FOLLOWUP_DLQ}",
        followup_delay_seconds=3,
    )
    return bootstrap.Services(settings)


def followup_mails(stack: RunningStack) -> list[object]:
    return [
        mail
        for mail in sent_mail(stack.moto_url)
        if mail["To"] == "ava@example.com" and "Linen tee (white)" in str(mail["Subject"])
    ]


def test_followup_email_reaches_ses_within_seconds_and_schedule_is_gone(
    local_stack: RunningStack,
) -> None:
    posted = requests.post(
        f"{local_stack.api_url}/events",
        json={"events": catalog_events()},
        headers=STORE,
        timeout=10,
    )
    assert posted.status_code == 202
    here = services_on(local_stack)
    zone = daytime_zone(datetime.now(UTC) + timedelta(seconds=3))
    here.customers.save_profile(DEMO_CUSTOMER_ID, {"time_zone": zone})
    answer = here.followups.schedule_follow_up(DEMO_CUSTOMER_ID, LINEN_TEE, "webchat", "asked")
    assert answer["scheduled"] is True and answer["channel"] == "email"
    # Scheduled, or on a slow machine already fired and deleted: never another schedule.
    names = [s["Name"] for s in schedules(local_stack.moto_url)]
    assert names in ([f"{answer['followup_id']}-0"], []), names
    mails = poll_until(lambda: followup_mails(local_stack), bool, seconds=60)
    assert len(mails) == 1
    assert poll_until(lambda: schedules(local_stack.moto_url), lambda s: s == [], seconds=30) == []
    helpdesk = {"X-Api-Key": "dev-helpdesk-key"}
    profile = requests.get(
        f"{local_stack.api_url}/customers/{DEMO_CUSTOMER_ID}", headers=helpdesk, timeout=10
    ).json()
    [followup] = [f for f in profile["followups"] if f["followup_id"] == answer["followup_id"]]
    assert followup["status"] == "sent"
