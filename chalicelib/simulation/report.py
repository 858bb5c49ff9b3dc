"""The printed table of a simulation run and the `--report` JSON of the contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

SHOWN = ("escalated", "reasons", "tools", "discount_applied", "followup_scheduled", "state")
REPLY_CHARS = 90


def _brief(facts: dict[str, Any], keys: tuple[str, ...] = SHOWN) -> str:
    parts = []
    for key in keys:
        value = facts.get(key)
        if value in (None, [], ""):
            continue
        shown = ",".join(map(str, value)) if isinstance(value, list) else str(value).lower()
        parts.append(f"{key}={shown}")
    return " ".join(parts) or "-"


def _expected(expect: dict[str, Any]) -> str:
    text = _brief(expect, (*SHOWN, "helpdesk"))
    for key, sign in (("reply_contains", "+"), ("reply_excludes", "-")):
        text += "".join(f" {sign}{s!r}" for s in expect.get(key, []))
    return text.removeprefix("- ").strip()


def print_scenario(result: dict[str, Any], index: int, total: int, out: TextIO) -> None:
    """A scenario's line, then one row per turn: expected, what happened, and any miss."""
    verdict = "PASS" if result["passed"] else "FAIL"
    out.write(f"[{index}/{total}] {verdict} {result['name']} ({result['seconds']:.2f}s)\n")
    if result.get("error"):
        out.write(f"        ERROR: {result['error']}\n")
    for number, turn in enumerate(result["turns"], 1):
        mark = "ok" if turn["passed"] else "XX"
        reply = " ".join(str(turn["actual"].get("reply", "")).split())[:REPLY_CHARS]
        said = turn.get("customer") or "(helpdesk)"
        out.write(f"   {number:>2} {mark} customer: {' '.join(said.split())[:REPLY_CHARS]}\n")
        out.write(f"        expected: {_expected(turn['expected'])}\n")
        out.write(f"        happened: {_brief(turn['actual'])} reply={reply!r}\n")
        for missed in turn["failures"]:
            out.write(f"        MISSED: {missed}\n")
    out.flush()


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The contract's report: scenarios with their turns, and the counts."""
    scenarios = [
        {
            "name": r["name"],
            "passed": r["passed"],
            "turns": [{k: t[k] for k in ("expected", "actual", "passed")} for t in r["turns"]],
            **({"error": r["error"]} if r.get("error") else {}),
        }
        for r in results
    ]
    passed = sum(1 for r in results if r["passed"])
    return {"scenarios": scenarios, "passed": passed, "failed": len(results) - passed}


def write_report(report: dict[str, Any], path: str) -> None:
    """Write the JSON report."""
    Path(path).write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
