"""Fixtures of the review tests: the pipeline with a scripted agent and the demo shopper."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import bootstrap
from dev.seed import demo_events
from tests.harness import Pipeline, start_pipeline
from tests.review.support import STORE, ScriptedAgent


@pytest.fixture
def review_pipeline(moto_clean: str) -> Iterator[Pipeline]:
    """The app on moto with the scripted agent and the demo shopper's data."""
    pipeline = start_pipeline(moto_clean, overrides={"agent": ScriptedAgent()})
    assert pipeline.post_json("/events", {"events": demo_events()}, STORE).status_code == 202
    yield pipeline
    bootstrap.reset(None)
