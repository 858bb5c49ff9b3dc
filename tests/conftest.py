"""Fixtures shared by the whole suite: one moto server (over HTTP) per test session."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import settings

# Time limits per example make property tests flaky on a loaded 2-core CI machine: bound by count.
settings.register_profile("tandem", deadline=None)
settings.load_profile("tandem")

# Never reach real AWS from a test, whatever the developer's shell has set.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
)
# CloudWatch EMF metrics print JSON to stdout: keep them out of test output (tests opt back in).
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # before xdist's own (firstresult)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile` shares out units of work (tests/work_units.py): files, mostly."""
    from tests.work_units import WorkUnitScheduling

    return WorkUnitScheduling(config, log) if config.getvalue("dist") == "loadfile" else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """The URL of a moto server running in this process, in server mode over HTTP.

    Its DynamoDB requests are atomic, as in AWS (see dev/atomic_moto.py): moto's own
    TransactWriteItems would undo concurrent writes when a condition fails.
    """
    from dev.atomic_moto import atomic_moto_server

    previous = os.environ.get("AWS_ENDPOINT_URL")
    with atomic_moto_server(free_port()) as url:
        os.environ["AWS_ENDPOINT_URL"] = url
        yield url
    if previous is None:
        os.environ.pop("AWS_ENDPOINT_URL", None)
    else:
        os.environ["AWS_ENDPOINT_URL"] = previous


@pytest.fixture
def moto_clean(moto_url: str) -> str:
    """The moto server with all state cleared before the test."""
    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    return moto_url


@pytest.fixture
def pipeline(moto_clean: str) -> Iterator[object]:
    """The app on a fresh moto server, resources created, services built (see tests/harness.py)."""
    from chalicelib import bootstrap
    from tests.harness import start_pipeline

    yield start_pipeline(moto_clean)
    bootstrap.reset(None)


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The whole local stack as `make run` starts it (follow-ups due in 3 s), shared by a session."""
    from tests.harness import run_stack

    log = tmp_path_factory.mktemp("stack") / "stack.log"
    yield from run_stack(free_port(), free_port(), log, FOLLOWUP_DELAY_SECONDS="3")
