"""Pure parts of review: CSAT answers, metric definitions, key facts, EMF counters."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.review.csat import parse_rating
from chalicelib.review.metrics import first_contact_resolved, metrics_report, nearest_rank
from chalicelib.review.scenario import key_facts, wrong_facts
from chalicelib.runtime.observability import count_escalation


@pytest.mark.parametrize(
    ("text", "score"),
    [("5", 5), (" 4 ", 4), ("3/5", 3), ("2 stars", 2), ("1!", 1), ("five", 5), ("4️⃣", 4)],
)
def test_csat_answers_in_the_forms_customers_write(text: str, score: int) -> None:
    assert parse_rating(text) == score


@pytest.mark.parametrize("text", ["⭐⭐⭐", "★★★"])
def test_star_emoji_count_as_the_rating(text: str) -> None:
    assert parse_rating(text) == 3


@pytest.mark.parametrize("text", ["6", "0", "10", "order 5", "5 days late!", "", "⭐⭐⭐⭐⭐⭐"])
def test_other_messages_are_not_ratings(text: str) -> None:
    assert parse_rating(text) is None


@given(st.text(max_size=40))
def test_parse_rating_is_none_or_one_to_five(text: str) -> None:
    assert parse_rating(text) in {None, 1, 2, 3, 4, 5}


def conversation(**facts: Any) -> dict[str, Any]:
    return {"created_at": "2026-11-01T10:00:00.000Z", **facts}


def test_a_reopen_within_seven_days_is_not_first_contact_resolution() -> None:
    resolved = "2026-11-01T10:05:00.000Z"
    assert first_contact_resolved(conversation(resolved_at=resolved))
    assert not first_contact_resolved(
        conversation(resolved_at=resolved, first_reopened_at="2026-11-07T10:00:00.000Z")
    )
    assert first_contact_resolved(
        conversation(resolved_at=resolved, first_reopened_at="2026-11-09T10:00:00.000Z")
    )
    escalated = conversation(resolved_at=resolved, escalated_at="2026-11-01T10:01:00.000Z")
    assert not first_contact_resolved(escalated)


def test_every_conversation_is_in_exactly_one_group() -> None:
    items = [
        conversation(),
        conversation(human_replied_at="2026-11-01T10:01:00.000Z"),
        conversation(escalated_at="2026-11-01T10:01:00.000Z", escalation_reasons=["profanity"]),
    ]
    report = metrics_report(items, "a", "b")
    groups = report["groups"]
    assert groups["ai"]["count"] + groups["human"]["count"] == 3
    assert groups["human"]["escalation"] == {"count": 1, "rate": 0.5, "reasons": {"profanity": 1}}


def test_p90_is_the_nearest_rank() -> None:
    assert nearest_rank(list(range(1, 11)), 90) == 9
    assert nearest_rank([7.0], 90) == 7.0
    assert nearest_rank([], 90) is None


def test_key_facts_keep_amounts_codes_and_names() -> None:
    facts = key_facts("Use code WELCOME10 for 10% off; it ships with UPS in 3 business days.")
    assert facts == ["10%", "3 business days", "WELCOME10", "UPS"]
    assert wrong_facts("Refunds take 10 days and cost $5.", "Refunds take 5 days.") == [
        "10 days",
        "$5",
    ]


def test_counters_are_cloudwatch_emf_in_the_tandem_namespace(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    count_escalation("damaged_item")
    emitted = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    directive = emitted["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Tandem"
    assert directive["Metrics"][0]["Name"] == "Escalations"
    assert emitted["reason"] == "damaged_item" and emitted["Escalations"] == [1.0]


def test_counters_stay_quiet_when_disabled(capsys: pytest.CaptureFixture[str]) -> None:
    count_escalation("damaged_item")
    assert capsys.readouterr().out == ""
