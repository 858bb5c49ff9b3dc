"""Tool schemas come from the typed signatures; calls by name validate, and replies fit channels."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from chalicelib.agent.tool_schemas import ToolCallError, invoke, tool_schemas
from chalicelib.agent.tools import TOOL_NAMES, ToolBox
from chalicelib.agent.voice import fit_to_channel, holding_reply
from chalicelib.config.store_config import load_store_config
from chalicelib.domain.messages import Channel
from chalicelib.domain.profiles import CustomerBundle
from tests.harness import ROOT


def test_every_contract_tool_has_a_schema_and_a_description() -> None:
    schemas = {s["function"]["name"]: s["function"] for s in tool_schemas()}
    assert tuple(schemas) == TOOL_NAMES
    assert all(len(f["description"]) > 20 for f in schemas.values())
    reasons = schemas["escalate"]["parameters"]["properties"]["reasons"]["items"]["enum"]
    assert "discount_judgment" in reasons and "ai_unavailable" in reasons
    assert "title" not in json.dumps(schemas)


def test_the_tools_take_no_customer_identity_from_the_model() -> None:
    names = {n for s in tool_schemas() for n in s["function"]["parameters"]["properties"]}
    assert not names & {"customer_id", "email", "phone", "order_id", "user"}


def test_invoke_refuses_unknown_tools_and_non_json() -> None:
    box = ToolBox(CustomerBundle(customer_id="c1"), verified=True)
    with pytest.raises(ToolCallError):
        invoke(box, "drop_table", "{}")
    with pytest.raises(ToolCallError):
        invoke(box, "lookup_orders", "{oops")
    invalid = json.loads(invoke(box, "lookup_orders", '{"limit": "lots"}'))
    assert invalid["error"] == "invalid_arguments" and "limit" in invalid["message"]


def test_a_failing_tool_is_told_to_the_model() -> None:
    class Broken:
        def all(self) -> list[object]:
            raise RuntimeError("boom")

    from chalicelib.agent.tools import ToolDeps

    box = ToolBox(CustomerBundle(customer_id="c1"), True, ToolDeps(catalog=Broken()))  # type: ignore[arg-type]
    assert json.loads(invoke(box, "recommend_products", "{}"))["error"] == "tool_failed"


def test_replies_fit_the_channel_at_a_sentence_end() -> None:
    config = load_store_config()
    long = "This sentence is about twenty-nine. " * 30
    sms = fit_to_channel(config, Channel.SMS, long)
    assert len(sms) <= 320 and sms.endswith(".")
    email = fit_to_channel(config, Channel.EMAIL, "Hello.")
    assert email == "Hello."  # the email sender signs it, once


def test_the_holding_reply_says_when_a_person_answers() -> None:
    from datetime import UTC, datetime

    config = load_store_config()
    now = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    reply = holding_reply(config, Channel.SMS, 86400, now)
    assert "Tue 06 Jan, 10:00 AM EST" in reply and len(reply) <= 320


def test_importing_the_app_does_not_import_openai() -> None:
    code = "import sys, app; assert 'openai' not in sys.modules, 'openai imported'"
    env = {"PATH": "/usr/bin:/bin", "AGENT_BACKEND": "openai", "OPENAI_API_KEY": "k"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
