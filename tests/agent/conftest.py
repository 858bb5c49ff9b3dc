"""Fixtures of the agent tests: the pipeline on the openai backend against the fake OpenAI server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from chalicelib import bootstrap
from dev.fakes.openai_api import FakeOpenAI
from tests.agent.chat import demo_shop
from tests.harness import Pipeline, start_pipeline

API_KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    """The scripted OpenAI-compatible server."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def ai_settings() -> dict[str, str]:
    """Settings of the openai pipeline; a test may change them before `ai` is built."""
    return {"OPENAI_TIMEOUT_SECONDS": "0.5", "OPENAI_MAX_RETRIES": "1"}


@pytest.fixture
def ai(moto_clean: str, fake: FakeOpenAI, ai_settings: dict[str, str]) -> Iterator[Pipeline]:
    """The pipeline with AGENT_BACKEND=openai on the fake, demo shop seeded; env restored after."""
    saved = dict(os.environ)
    pipeline = start_pipeline(
        moto_clean,
        AGENT_BACKEND="openai",
        OPENAI_BASE_URL=fake.base_url,
        OPENAI_API_KEY=API_KEY,
        OPENAI_MODEL="fake-model",
        **ai_settings,
    )
    demo_shop(pipeline)
    yield pipeline
    bootstrap.reset(None)
    os.environ.clear()
    os.environ.update(saved)
