"""The app on moto with a clock the tests move, demo customer and catalog loaded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from dev import resources
from dev.emulators import SchedulerEmulator
from dev.fakes.twilio_api import FakeTwilioApi
from dev.seed import demo_events
from dev.stack import LOCAL_DEFAULTS
from tests.followups.support import NOON_IN_NEW_YORK, STORE, catalog_events, scheduler
from tests.harness import Pipeline, start_pipeline


class Clock:
    """A clock the test sets and moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@dataclass
class FollowUpWorld:
    """The pipeline, its clock and the scheduler emulator that fires due schedules."""

    pipeline: Pipeline
    clock: Clock
    emulator: SchedulerEmulator

    @property
    def services(self) -> bootstrap.Services:
        return self.pipeline.services

    def post_events(self, *events: dict[str, Any]) -> None:
        answer = self.pipeline.post_json("/events", {"events": list(events)}, STORE)
        assert answer.status_code == 202, answer.body

    def fire_after(self, seconds: float) -> int:
        """Move the clock on and fire every schedule due by then, as EventBridge would."""
        return self.emulator.fire_due(self.clock.advance(seconds))


@pytest.fixture
def world(moto_clean: str) -> Iterator[FollowUpWorld]:
    yield from make_world(moto_clean)
    bootstrap.reset(None)


@pytest.fixture(scope="session")
def twilio_api() -> Iterator[FakeTwilioApi]:
    """A Twilio-compatible REST server with the local stack's credentials."""
    credentials = (LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"], LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"])
    with FakeTwilioApi(*credentials) as fake:
        yield fake


@pytest.fixture
def twilio_world(moto_clean: str, twilio_api: FakeTwilioApi) -> Iterator[FollowUpWorld]:
    """The world with SMS and WhatsApp sent through the real Twilio client to the fake API."""
    twilio_api.reset()
    yield from make_world(moto_clean, TWILIO_API_BASE_URL=twilio_api.base_url)
    bootstrap.reset(None)


def make_world(moto_clean: str, **settings: str) -> Iterator[FollowUpWorld]:
    """The pipeline on a moved clock, with the demo customer and catalog, and the scheduler."""
    clock = Clock(NOON_IN_NEW_YORK)
    pipeline = start_pipeline(moto_clean, {"clock": clock}, FOLLOWUP_DELAY_SECONDS="3", **settings)
    import app

    emulator = SchedulerEmulator(
        scheduler(moto_clean), resources.SCHEDULE_GROUP, {"send_followup": app.send_followup}
    )
    built = FollowUpWorld(pipeline, clock, emulator)
    built.post_events(*demo_events(), *catalog_events())
    yield built
