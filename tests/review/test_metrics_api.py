"""A scripted mix of AI-resolved and escalated conversations: /metrics matches the transcripts."""

from __future__ import annotations

import math
import statistics
from datetime import timedelta
from typing import Any

from chalicelib.domain.messages import Author, iso, utcnow
from chalicelib.review.facts import parse_time
from tests.harness import Pipeline
from tests.review.support import HELPDESK, Shopper, human_replies, resolve


def played(pipeline: Pipeline) -> dict[str, dict[str, Any]]:
    """Six conversations; returns what a person would note by hand for each."""
    notes: dict[str, dict[str, Any]] = {}

    def note(shopper: Shopper, group: str, **extra: Any) -> None:
        notes[shopper.conversation_id] = {"group": group, **extra}

    wismo = Shopper(pipeline)
    wismo.says("where is my order?")
    note(wismo, "ai", resolved_at=resolve(pipeline, wismo.conversation_id), csat=5, fcr=True)
    wismo.says("5")

    returns = Shopper(pipeline)
    returns.says("what is your return policy?")
    later = iso(utcnow() + timedelta(hours=25))
    assert pipeline.services.review.resolve_idle(later) == 1
    note(returns, "ai", resolved_at="last ai reply", csat=4, fcr=True)
    returns.says("⭐⭐⭐⭐")

    for text, reason, score in (
        ("I want a human", "human_requested", 1),
        ("broken!", "damaged_item", 3),
    ):
        upset = Shopper(pipeline)
        upset.says(text)
        human_replies(pipeline, upset.conversation_id, "Hi, Sam here, sorting it now.")
        at = resolve(pipeline, upset.conversation_id)
        note(upset, "human", resolved_at=at, csat=score, fcr=False, reason=reason)
        upset.says(str(score))

    confused = Shopper(pipeline)
    confused.says("asdfgh")
    note(confused, "ai", fcr=False)

    reopened = Shopper(pipeline)
    reopened.says("where is my order please")
    note(reopened, "ai", resolved_at=resolve(pipeline, reopened.conversation_id), fcr=False)
    reopened.says("one more thing: can I return it?")
    return notes


def by_hand(pipeline: Pipeline, conversation_id: str, notes: dict[str, Any]) -> dict[str, Any]:
    """Time to first response and to resolution, read off the stored transcript."""
    conversation = pipeline.services.conversations.load(conversation_id)
    assert conversation is not None
    messages = conversation.messages
    first = next(m for m in messages if m.author is Author.CUSTOMER).created_at
    replies = [m for m in messages if m.author is not Author.CUSTOMER]
    resolved = notes.get("resolved_at")
    if resolved == "last ai reply":
        resolved = [m for m in replies if m.meta.get("kind") != "csat"][-1].created_at

    def seconds(end: str | None) -> float | None:
        return round((parse_time(end) - parse_time(first)).total_seconds(), 3) if end else None

    return {**notes, "ttfr": seconds(replies[0].created_at), "ttr": seconds(resolved)}


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def expected_group(rows: list[dict[str, Any]], total: int) -> dict[str, Any]:
    ttfr = [r["ttfr"] for r in rows]
    ttr = [r["ttr"] for r in rows if r["ttr"] is not None]
    scores = [r["csat"] for r in rows if r.get("csat")]
    reasons = sorted(r["reason"] for r in rows if r.get("reason"))
    return {
        "count": len(rows),
        "share": round(len(rows) / total, 4),
        "fcr": sum(r["fcr"] for r in rows),
        "ttfr": (statistics.median(ttfr), p90(ttfr)),
        "ttr": (statistics.median(ttr), p90(ttr)),
        "csat": (round(statistics.mean(scores), 2), len(scores)),
        "reasons": reasons,
    }


def test_metrics_match_the_transcripts_by_hand(review_pipeline: Pipeline) -> None:
    notes = played(review_pipeline)
    rows = [by_hand(review_pipeline, cid, n) for cid, n in notes.items()]
    response = review_pipeline.get("/metrics", HELPDESK)
    assert response.status_code == 200, response.body
    report = response.json_body
    assert report["total"] == 6
    assert report["escalation_rate"] == round(2 / 6, 4)
    for group in ("ai", "human"):
        want = expected_group([r for r in rows if r["group"] == group], 6)
        got = report["groups"][group]
        assert got["count"] == want["count"]
        assert got["share"] == want["share"]
        assert got["first_contact_resolution"]["count"] == want["fcr"]
        tf, tr = got["time_to_first_response_seconds"], got["time_to_resolution_seconds"]
        assert (tf["median"], tf["p90"]) == want["ttfr"]
        assert (tr["median"], tr["p90"]) == want["ttr"]
        assert (got["csat"]["average"], got["csat"]["count"]) == want["csat"]
        assert sorted(got["escalation"]["reasons"]) == want["reasons"]
    groups = report["groups"]
    assert groups["ai"]["share"] + groups["human"]["share"] == 1
    assert (groups["ai"]["count"], groups["ai"]["first_contact_resolution"]["rate"]) == (4, 0.5)
    assert groups["human"]["escalation"]["rate"] == 1.0
    assert groups["ai"]["csat"] == {"average": 4.5, "count": 2}


def test_a_csat_reply_is_recorded_not_answered(review_pipeline: Pipeline) -> None:
    shopper = Shopper(review_pipeline)
    shopper.says("where is my order?")
    resolve(review_pipeline, shopper.conversation_id)
    transcript = shopper.says("2")
    assert [m["author"] for m in transcript] == ["customer", "ai", "ai", "customer"]
    assert "1 (poor) to 5 (great)" in transcript[2]["text"]
    facts = review_pipeline.services.reviews.facts(shopper.conversation_id)
    assert facts["csat"] == 2 and facts["state"] == "resolved"
    assert review_pipeline.services.reviews.flags_of(shopper.conversation_id) == ["low_csat"]


def test_the_csat_question_is_asked_once(review_pipeline: Pipeline) -> None:
    shopper = Shopper(review_pipeline)
    shopper.says("where is my order?")
    resolve(review_pipeline, shopper.conversation_id)
    shopper.says("where is my order again?")
    resolve(review_pipeline, shopper.conversation_id)
    transcript = shopper.says("4")
    questions = [m for m in transcript if "1 (poor)" in m["text"]]
    assert len(questions) == 1
    assert review_pipeline.services.reviews.facts(shopper.conversation_id)["csat"] == 4


def test_metrics_window_must_be_valid(review_pipeline: Pipeline) -> None:
    bad = review_pipeline.get("/metrics?since=yesterday", HELPDESK)
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "since"
    backwards = review_pipeline.get("/metrics?since=2026-02-01&until=2026-01-01", HELPDESK)
    assert backwards.status_code == 400
