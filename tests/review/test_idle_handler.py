"""The scheduled idle sweep, invoked as an EventBridge rule invokes it (also the local stack's)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import bootstrap
from chalicelib.domain.conversations import Ownership
from dev.emulators import LambdaContext, scheduled_event
from tests.harness import Pipeline, start_pipeline
from tests.review.support import Shopper


@pytest.fixture
def quick_idle(moto_clean: str) -> Iterator[Pipeline]:
    yield start_pipeline(moto_clean, AI_IDLE_RESOLVE_SECONDS="0")
    bootstrap.reset(None)


def test_a_quiet_ai_conversation_is_resolved_by_the_scheduled_sweep(quick_idle: Pipeline) -> None:
    import app

    shopper = Shopper(quick_idle)
    shopper.says("what is your return policy?")
    result = app.resolve_idle(scheduled_event("resolve_idle"), LambdaContext("resolve_idle"))
    again = app.resolve_idle(scheduled_event("resolve_idle"), LambdaContext("resolve_idle"))
    conversation = quick_idle.services.conversations.load(shopper.conversation_id)
    assert result == {"resolved": 1} and again == {"resolved": 0}
    assert conversation is not None and conversation.state is Ownership.RESOLVED
