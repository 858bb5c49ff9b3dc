"""bench.prompt_tokens counts every round of the three-turn SMS conversation; the lean rounds hold."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench import prompt_tokens
from bench.prompt_tokens import count_request, turns_of

ISSUE_TARGET = 5409 // 2  # issue 23: at most half of the 5,409 measured before


def words(text: str) -> list[int]:
    return [0] * len(text.split())


def test_a_tool_call_s_arguments_and_the_tool_s_answer_are_counted() -> None:
    call = {"function": {"name": "lookup_orders", "arguments": '{"limit": 3}'}}
    body = {
        "messages": [
            {"role": "system", "content": "be kind"},
            {"role": "user", "content": "where is it"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "content": "shipped with UPS"},
        ],
        "tools": [],
    }
    counted = count_request(body, words)
    per = prompt_tokens.PER_MESSAGE
    assert (
        counted["system"] == 2 + per and counted["context"] == 3 + 2 + 3 + 3 * per
    )  # lookup_orders{"limit": 3}: 2 words
    assert counted["total"] == counted["system"] + counted["tools"] + counted["context"]


def test_requests_are_grouped_by_the_customer_message_that_starts_a_turn() -> None:
    user = {"messages": [{"role": "user", "content": "hi"}]}
    tool = {"messages": [{"role": "user", "content": "hi"}, {"role": "tool", "content": "x"}]}
    assert [len(turn) for turn in turns_of([user, tool, tool, user, user])] == [3, 1, 1]


def test_the_three_turn_sms_conversation_is_lean(tmp_path: Path) -> None:
    out = tmp_path / "tokens.json"
    before = dict(os.environ)
    assert prompt_tokens.main(["--out", str(out)]) == 0
    assert dict(os.environ) == before  # the openai settings do not outlive the run
    found = json.loads(out.read_text())["conversation"]
    assert found["expectations_met"]
    assert [turn["rounds"] for turn in found["turns"]] == [1, 2, 1]  # order status: one round
    assert found["input_tokens"] <= ISSUE_TARGET
    assert found["input_tokens"] == sum(turn["input_tokens"] for turn in found["turns"])
