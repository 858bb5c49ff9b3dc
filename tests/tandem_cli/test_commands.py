"""The CLI without a running stack: help on every command, exit codes, checks, in-process chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tandem_cli.support import tandem

COMMANDS = [
    [],
    ["chat"],
    ["escalations"],
    ["escalations", "list"],
    ["escalations", "pull"],
    ["reply"],
    ["release"],
    ["resolve"],
    ["dlq"],
    ["dlq", "list"],
    ["dlq", "redrive"],
    ["export"],
    ["check"],
    ["check", "config"],
    ["check", "settings"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tandem")
def test_every_command_has_help(command: list[str]) -> None:
    shown = tandem(*command, "--help")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("usage: tandem") and "Exit codes" in shown.stdout


def test_a_missing_command_is_a_usage_error() -> None:
    assert tandem().returncode == 2


def test_an_unknown_queue_is_a_usage_error() -> None:
    refused = tandem("dlq", "redrive", "outbound")
    assert refused.returncode == 2 and "no queue named outbound" in refused.stderr


def test_check_config_accepts_the_demo_and_names_a_bad_key(tmp_path: Path) -> None:
    good = tandem("check", "config", "chalicelib/config/demo_store.yaml")
    assert good.returncode == 0 and "good (Northwind Threads)" in good.stdout
    bad = tmp_path / "store.yaml"
    bad.write_text("name: Harbor\nescalation: {human_sla_seconds: soon}\n", encoding="utf-8")
    refused = tandem("check", "config", str(bad))
    assert refused.returncode == 1 and "human_sla_seconds" in refused.stderr
    assert tandem("check", "config", str(tmp_path / "absent.yaml")).returncode == 2


def test_check_settings_names_the_bad_setting() -> None:
    refused = tandem("check", "settings", AGENT_BACKEND="bogus")
    assert refused.returncode == 1
    assert refused.stderr.startswith("tandem: AGENT_BACKEND='bogus': not an agent backend")
    good = tandem("check", "settings")
    assert good.returncode == 0 and "agent: rules (offline" in good.stdout


def test_any_command_refuses_bad_settings_before_trying() -> None:
    refused = tandem("escalations", "list", HUMAN_SLA_SECONDS="abc")
    assert refused.returncode == 2
    assert "tandem: HUMAN_SLA_SECONDS='abc': not a whole number" in refused.stderr


def test_a_stack_that_is_not_running_is_named() -> None:
    refused = tandem("--api", "http://127.0.0.1:9", "escalations", "list")
    assert refused.returncode == 1 and "cannot reach http://127.0.0.1:9" in refused.stderr


def test_chat_straight_through_the_pipeline_answers_and_escalates() -> None:
    said = ["where is my order?", "I want to talk to a human"]
    chat = tandem(
        "chat", "--in-process", "--customer", "cust-ava", *[f"--message={m}" for m in said]
    )
    assert chat.returncode == 0, chat.stderr
    replies = [line for line in chat.stdout.splitlines() if line.startswith("ai> ")]
    assert len(replies) == 2 and "1001" in replies[0] and "support team" in replies[1]
    assert "ready (demo shopper Ava" in chat.stderr  # progress while it starts
