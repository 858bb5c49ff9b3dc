"""Misses grouped by category, intent and source: what the AI keeps getting wrong, at a glance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

EXAMPLES = 3


def _example(feedback: dict[str, Any]) -> dict[str, Any]:
    keep = ("conversation_id", "message_id", "category", "what_was_wrong", "correct_answer")
    return {key: feedback.get(key) for key in keep} | {"created_at": feedback.get("created_at")}


def group_by(
    feedback: list[dict[str, Any]], keys_of: Callable[[dict[str, Any]], Iterable[str]]
) -> list[dict[str, Any]]:
    """Groups with counts and the newest examples, the largest first (ties by name)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in feedback:
        for key in keys_of(item):
            groups[key].append(item)
    ordered = sorted(groups.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    return [
        {
            "key": key,
            "count": len(items),
            "examples": [_example(i) for i in _newest_first(items)[:EXAMPLES]],
        }
        for key, items in ordered
    ]


def _newest_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: str(item.get("created_at") or ""), reverse=True)


def misses_report(feedback: list[dict[str, Any]], since: str) -> dict[str, Any]:
    """The `/review/misses` body."""
    return {
        "since": since,
        "total": len(feedback),
        "by_category": group_by(feedback, lambda f: [str(f.get("category"))]),
        "by_intent": group_by(feedback, lambda f: [str(f.get("intent") or "unknown")]),
        "by_source": group_by(feedback, lambda f: f.get("sources") or ["unknown"]),
    }
