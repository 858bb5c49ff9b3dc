"""Cold starts import only what their path needs: a fresh interpreter handles one event, then we
look at what it imported (the figures themselves are `make bench`'s, never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.calls import counted_pipeline
from bench.cold_start import ROOT, task_root
from bench.run import child_env, queued_event
from bench.world import sms_form, twilio_api_event
from dev.fakes.twilio_api import FakeTwilioApi
from dev.stack import LOCAL_DEFAULTS

# A fresh interpreter: import the app, handle one event as Lambda would, list what was imported.
CHILD = """
import gc, json, sys
import app
from dev.emulators import LambdaContext
collecting = {"after_import": gc.isenabled()}
handler = sys.argv[1]
answer = getattr(app, handler)(json.loads(sys.argv[2]), LambdaContext(handler))
collecting |= {"after_event": gc.isenabled(), "frozen": gc.get_freeze_count()}
modules = sorted(sys.modules)  # before this check imports pydantic
from pydantic import BaseModel
def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)
built = sorted({f"{m.__module__}.{m.__name__}" for m in subclasses(BaseModel)
                if m.__module__.startswith("chalicelib.") and m.__pydantic_complete__})
print(json.dumps({"answer": answer, "modules": modules, "built": built, "gc": collecting}))
"""
# Models whose validators are built on first use (defer_build): a cold start that never validates
# one does not pay for it (issue 23).
NEVER_BUILT = (
    "chalicelib.channels.twilio.channel.StatusUpdate",  # a status callback's, not a turn's
    "chalicelib.domain.product_data.",  # the worker imports it (the store config's catalog)
    "chalicelib.domain.escalations.",
    "chalicelib.domain.events.",
)
# boto3 itself (its session, resources and s3transfer): the clients are botocore's, made on its
# session (chalicelib/runtime/session.py), and the table's values are typed without it
# (chalicelib/store/attribute_values.py).
RESOURCE = ["boto3", "s3transfer"]
WEBHOOK_NEVER = [
    "twilio.rest",
    "numpy",
    "training",
    "openai",
    "jinja2",
    "yaml",
    "requests",
    "vaderSentiment",
    "pydantic",  # settings and the queued message are read and written without it
    "phonenumbers",  # a plain E.164 sender is judged from its table (phone_table.py)
    "pydantic_settings",
    "chalicelib.agent",
    "chalicelib.turns",  # the agent worker's turn (agent/turn.py before the layout of issue 18)
    "chalicelib.outbox",
    "chalicelib.config.store_config",
    *RESOURCE,
]
# A rules turn that answers by SMS: no LLM client, no follow-ups or handoff machinery, no
# phone number parsing (the webhook normalized the sender already), and neither twilio's client
# nor requests (the reply is a form post through botocore's HTTP session: twilio/rest_api.py).
WORKER_NEVER = [
    "openai",
    "numpy",  # the intent model is trained with numpy but read with the standard library
    "training",
    "twilio",
    "requests",
    "pydantic_settings",
    "phonenumbers",
    "chalicelib.followups",
    "chalicelib.handoff",
    "chalicelib.domain.event_data",  # the store events' data: only the catalog's product is read
    *RESOURCE,
]


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    """A fake Twilio for the worker's reply."""
    credentials = (LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"], LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"])
    with FakeTwilioApi(*credentials) as fake:
        yield fake


@pytest.fixture
def pipeline(moto_url: str, twilio: FakeTwilioApi) -> Any:
    """The app on moto with the demo customer, replying through the fake Twilio."""
    built, _ = counted_pipeline(moto_url, twilio)
    return built


def cold_start(
    pipeline: Any, handler: str, event: dict[str, Any], task: Path = ROOT
) -> dict[str, Any]:
    """Handle `event` in a fresh interpreter with the app's environment, the app imported from
    `task` (the repository, or a task root staged as the package); its answer and modules."""
    command = [sys.executable, "-c", CHILD, handler, json.dumps(event)]
    env = {**child_env(pipeline), "PYTHONPATH": str(ROOT)}  # dev/ for the Lambda context
    done = subprocess.run(command, cwd=task, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def imported(modules: list[str], packages: list[str]) -> list[str]:
    """Which of `packages` (a package or any of its submodules) are among `modules`."""
    return [p for p in packages if any(m == p or m.startswith(p + ".") for m in modules)]


def test_webhook_cold_start_imports_neither_twilio_rest_nor_the_agent(pipeline: Any) -> None:
    form = sms_form("SM" + "c" * 32, "where is my order?", "+14157000001")
    found = cold_start(pipeline, "app", twilio_api_event(pipeline.env, form))
    assert found["answer"]["statusCode"] == 200, found["answer"]
    assert imported(found["modules"], WEBHOOK_NEVER) == []
    assert "twilio.request_validator" in found["modules"]  # the guard looks at the right process
    assert found["built"] == []


def test_worker_cold_start_on_rules_imports_no_llm_and_no_follow_up_machinery(
    pipeline: Any, twilio: FakeTwilioApi
) -> None:
    found = cold_start(pipeline, "inbound_worker", queued_event(pipeline, "SM" + "e" * 32))
    assert found["answer"] == {"batchItemFailures": []}
    assert imported(found["modules"], WORKER_NEVER) == []
    assert len(twilio.messages) == 1  # the reply went out, to Twilio's API
    assert [m for m in found["built"] if m.startswith(NEVER_BUILT)] == []
    assert "chalicelib.domain.product_data" in found["modules"]  # imported, its models not built
    assert "chalicelib.config.store_config.StoreConfig" in found["built"]


def test_cold_start_pauses_the_garbage_collector_until_the_first_event_is_handled(
    pipeline: Any,
) -> None:
    form = sms_form("SM" + "d" * 32, "where is my order?", "+14157000002")
    for handler, event in (
        ("app", twilio_api_event(pipeline.env, form)),
        ("inbound_worker", queued_event(pipeline, "SM" + "b" * 32)),
    ):
        found = cold_start(pipeline, handler, event)
        assert found["gc"]["after_import"] is False, handler
        assert found["gc"]["after_event"] is True, handler
        assert found["gc"]["frozen"] > 10_000, handler  # what the cold start built, never scanned


def test_worker_cold_start_as_packaged_reads_the_checked_store_config_without_yaml_or_jinja2(
    pipeline: Any,
) -> None:
    with task_root() as task:
        assert (task / "chalicelib/config/demo_store.yaml.checked.json").exists()
        event = queued_event(pipeline, "SM" + "f" * 32)
        found = cold_start(pipeline, "inbound_worker", event, task)
    assert found["answer"] == {"batchItemFailures": []}
    assert imported(found["modules"], ["yaml", "jinja2"]) == []
    assert "chalicelib.config.store_config" in found["modules"]  # the config was read all the same
    # unpickled as the package's build validated it: no section's validator built
    assert [m for m in found["built"] if m.startswith("chalicelib.config.")] == []
