"""Fixtures of the simulation tests: the runner starts its own moto; the environment is restored."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from chalicelib import bootstrap


@pytest.fixture
def own_stack() -> Iterator[None]:
    """Run the simulation runner in-process on the rules backend, then restore the environment."""
    saved = dict(os.environ)
    os.environ["AGENT_BACKEND"] = "rules"
    yield
    bootstrap.reset(None)
    os.environ.clear()
    os.environ.update(saved)
