"""An exported regression scenario expects the right things: it fails on the miss, passes once fixed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from chalicelib import bootstrap
from chalicelib.simulation.__main__ import run
from dev.seed import demo_events
from tests.harness import Pipeline, seed_store, start_pipeline
from tests.review.support import HELPDESK, STORE, Shopper
from tests.review.test_review_api import ai_reply, give_feedback

GIFT_WRAP = {
    "id": "gift-wrap",
    "title": "Gift wrapping",
    "body": "Gift wrapping is available at checkout for 5 USD per order, with a handwritten card.",
}


@pytest.fixture
def rules_pipeline(moto_clean: str) -> Iterator[Pipeline]:
    """The app on moto with today's offline agent, the demo store's articles and shopper."""
    pipeline = start_pipeline(moto_clean, AGENT_BACKEND="rules")
    seed_store(pipeline)
    assert pipeline.post_json("/events", {"events": demo_events()}, STORE).status_code == 202
    yield pipeline
    bootstrap.reset(None)


def export(pipeline: Pipeline, conversation_id: str) -> dict[str, Any]:
    """POST /conversations/{id}/scenario, parsed."""
    path = f"/conversations/{conversation_id}/scenario"
    answer = pipeline.client.http.post(path, headers=HELPDESK)
    assert answer.status_code == 200, answer.body
    return dict(yaml.safe_load(answer.body.decode()))


def simulate(scenario: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The scenario run by the simulation runner on the rules backend (its own stack)."""
    (folder / "exported.yaml").write_text(yaml.safe_dump(scenario))
    return run([str(folder)], io.StringIO())


@pytest.mark.usefixtures("own_stack")
def test_a_miss_answered_with_the_wrong_tool_fails_then_passes_once_the_article_is_fixed(
    rules_pipeline: Pipeline, tmp_path: Path
) -> None:
    shopper = Shopper(rules_pipeline)
    reply = ai_reply(shopper.says("Can you wrap my order as a present?"))
    correct = "Yes: gift wrapping is available at checkout for 5 USD per order."
    given = give_feedback(
        rules_pipeline,
        shopper.conversation_id,
        message_id=reply,
        category="wrong_answer",
        what_was_wrong="It told the order status instead of answering.",
        correct_answer=correct,
    )
    assert given.status_code == 201, given.body
    scenario = export(rules_pipeline, shopper.conversation_id)
    assert "5 USD" in scenario["turns"][-1]["expect"]["reply_contains"]
    bootstrap.reset(None)
    assert simulate(scenario, tmp_path)["failed"] == 1  # today's agent misses it
    scenario["knowledge"] = [GIFT_WRAP]  # the fix: the article the agent lacked
    fixed = simulate(scenario, tmp_path)
    assert fixed["failed"] == 0, fixed


def test_an_escalated_miss_does_not_forbid_the_holding_replys_time(
    rules_pipeline: Pipeline,
) -> None:
    shopper = Shopper(rules_pipeline)
    transcript = shopper.says("I want to talk to a person about gift wrapping")
    holding = next(m for m in transcript if m["author"] == "ai")
    assert "reply by" in holding["text"]  # the holding reply, with its time
    given = give_feedback(
        rules_pipeline,
        shopper.conversation_id,
        message_id=holding["id"],
        category="wrong_answer",
        what_was_wrong="A person was not needed for this.",
        correct_answer="Gift wrapping is available at checkout for 5 USD per order.",
    )
    assert given.status_code == 201, given.body
    expect = export(rules_pipeline, shopper.conversation_id)["turns"][-1]["expect"]
    assert expect.get("reply_excludes", []) == [], expect


def test_the_bad_answers_tools_are_not_required_of_the_right_one(rules_pipeline: Pipeline) -> None:
    shopper = Shopper(rules_pipeline)
    reply = ai_reply(shopper.says("Do you gift wrap?"))
    conversation = rules_pipeline.services.conversations.load(shopper.conversation_id)
    assert conversation is not None
    bad = conversation.message(reply)
    assert bad is not None and bad.tools  # the reply that is reported used a tool
    given = give_feedback(
        rules_pipeline,
        shopper.conversation_id,
        message_id=reply,
        category="wrong_answer",
        what_was_wrong="It did not answer.",
        correct_answer="Gift wrapping is available at checkout for 5 USD per order.",
    )
    assert given.status_code == 201, given.body
    expect = export(rules_pipeline, shopper.conversation_id)["turns"][-1]["expect"]
    assert "tools" not in expect and "5 USD" in expect["reply_contains"], expect
