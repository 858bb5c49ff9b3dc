"""The same metrics for conversations the AI handled alone and those a human took part in.

Definitions (each conversation counted once, in the group of whoever took part, by the day it started):
- group `human`: it was escalated or a human replied in it; else `ai` (the AI alone).
- first contact resolution: resolved, never escalated, and not reopened within 7 days of resolving.
- time to first response: first AI or human reply - the customer's first message; time to
  resolution: first resolve - the customer's first message.
- medians and p90 by nearest rank, in seconds; CSAT: the 1-5 answers, averaged.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import timedelta
from typing import Any

from chalicelib.review.facts import parse_time

GROUPS = ("ai", "human")
REOPEN_WINDOW = timedelta(days=7)


def group_of(facts: dict[str, Any]) -> str:
    """`human` when a human took part (escalated, or replied), else `ai`."""
    return "human" if facts.get("escalated_at") or facts.get("human_replied_at") else "ai"


def seconds_between(start: Any, end: Any) -> float | None:
    """Seconds from one stored time to another; None when either is missing."""
    if not start or not end:
        return None
    return round((parse_time(str(end)) - parse_time(str(start))).total_seconds(), 3)


def first_contact_resolved(facts: dict[str, Any]) -> bool:
    """Resolved without escalation and not reopened within 7 days of resolving."""
    resolved, reopened = facts.get("resolved_at"), facts.get("first_reopened_at")
    if not resolved or facts.get("escalated_at"):
        return False
    return not reopened or parse_time(reopened) - parse_time(resolved) > REOPEN_WINDOW


def nearest_rank(values: list[float], percent: float) -> float | None:
    """The nearest-rank percentile of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)]


def durations(values: list[float | None]) -> dict[str, Any]:
    """Median and p90 of the known durations, and how many there were."""
    known = [v for v in values if v is not None]
    median = statistics.median(known) if known else None
    return {"median": median, "p90": nearest_rank(known, 90), "count": len(known)}


def _start(facts: dict[str, Any]) -> str | None:
    """When the customer first wrote (the conversation's creation if unknown)."""
    return facts.get("first_message_at") or facts.get("created_at")


def rate(part: int, whole: int) -> float:
    """part / whole rounded to 4 places; 0 when whole is 0."""
    return round(part / whole, 4) if whole else 0.0


def group_metrics(items: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The metrics of one group's conversations."""
    escalated = [f for f in items if f.get("escalated_at")]
    reasons = Counter(code for f in escalated for code in f.get("escalation_reasons") or [])
    scores = [int(f["csat"]) for f in items if f.get("csat") is not None]
    fcr = sum(1 for f in items if first_contact_resolved(f))
    return {
        "count": len(items),
        "share": rate(len(items), total),
        "resolved": sum(1 for f in items if f.get("resolved_at")),
        "first_contact_resolution": {"count": fcr, "rate": rate(fcr, len(items))},
        "time_to_first_response_seconds": durations(
            [seconds_between(_start(f), f.get("first_response_at")) for f in items]
        ),
        "time_to_resolution_seconds": durations(
            [seconds_between(_start(f), f.get("resolved_at")) for f in items]
        ),
        "csat": {
            "average": round(statistics.mean(scores), 2) if scores else None,
            "count": len(scores),
        },
        "escalation": {
            "count": len(escalated),
            "rate": rate(len(escalated), len(items)),
            "reasons": dict(reasons.most_common()),
        },
    }


def metrics_report(items: list[dict[str, Any]], since: str, until: str) -> dict[str, Any]:
    """The `/metrics` body: both groups, and the whole, by the same definitions."""
    grouped: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    for facts in items:
        grouped[group_of(facts)].append(facts)
    escalated = sum(1 for f in items if f.get("escalated_at"))
    return {
        "since": since,
        "until": until,
        "total": len(items),
        "escalation_rate": rate(escalated, len(items)),
        "groups": {group: group_metrics(grouped[group], len(items)) for group in GROUPS},
    }


def daily_counts(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per start day: conversations per group and CSAT averages (the dashboard's series)."""
    days: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for facts in items:
        day = str(facts.get("created_at", ""))[:10]
        days.setdefault(day, {g: [] for g in GROUPS})[group_of(facts)].append(facts)
    return {
        day: {group: len(found) for group, found in groups.items()}
        for day, groups in sorted(days.items())
    }
