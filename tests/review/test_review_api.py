"""Review queues per flag (paged, newest first), feedback grouped into misses, 401 without the key."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.harness import Pipeline
from tests.review.support import HELPDESK, Shopper, human_replies, resolve


def ai_reply(transcript: list[dict[str, Any]]) -> str:
    return str(next(m["id"] for m in transcript if m["author"] == "ai"))


def give_feedback(pipeline: Pipeline, conversation_id: str, **body: Any) -> Any:
    headers = {**HELPDESK, "X-Reviewer": "Riley"}
    return pipeline.post_json(f"/conversations/{conversation_id}/feedback", body, headers)


def returns_miss(pipeline: Pipeline) -> tuple[Shopper, str]:
    shopper = Shopper(pipeline)
    message_id = ai_reply(shopper.says("what is your return policy?"))
    given = give_feedback(
        pipeline,
        shopper.conversation_id,
        message_id=message_id,
        category="policy_misquote",
        what_was_wrong="Returns are 14 days, not 30.",
        correct_answer="You can return unworn items within 14 days for a full refund to your card.",
    )
    assert given.status_code == 201, given.body
    return shopper, message_id


def test_flagged_conversations_are_listed_newest_first_in_pages(review_pipeline: Pipeline) -> None:
    escalated = []
    for text in ("I want a human", "it arrived broken", "a human please"):
        shopper = Shopper(review_pipeline)
        shopper.says(text)
        escalated.append(shopper.conversation_id)
    seen: list[str] = []
    path = "/review/conversations?flag=escalated&limit=2"
    while path:
        page = review_pipeline.get(path, HELPDESK).json_body
        seen += [c["conversation_id"] for c in page["conversations"]]
        path = (
            f"/review/conversations?flag=escalated&limit=2&cursor={page['next']}"
            if page["next"]
            else ""
        )
    assert seen == list(reversed(escalated))
    first = review_pipeline.get("/review/conversations?flag=escalated&limit=1", HELPDESK).json_body
    item = first["conversations"][0]
    assert item["channel"] == "webchat" and item["reasons"] == ["human_requested"]
    assert item["customer"]["customer_id"] == "cust-ava"
    assert item["ai_messages"][0]["text"] == "A person will reply soon."


def test_each_flag_has_its_own_queue(review_pipeline: Pipeline) -> None:
    confused = Shopper(review_pipeline)
    confused.says("asdf")
    unhappy = Shopper(review_pipeline)
    unhappy.says("a human now")
    human_replies(review_pipeline, unhappy.conversation_id, "Here I am.")
    resolve(review_pipeline, unhappy.conversation_id)
    unhappy.says("1")
    reviewed, _ = returns_miss(review_pipeline)

    def queue(flag: str) -> list[dict[str, Any]]:
        return list(
            review_pipeline.get(f"/review/conversations?flag={flag}", HELPDESK).json_body[
                "conversations"
            ]
        )

    assert [c["conversation_id"] for c in queue("fallback")] == [confused.conversation_id]
    assert [(c["conversation_id"], c["csat"]) for c in queue("low_csat")] == [
        (unhappy.conversation_id, 1)
    ]
    listed = queue("feedback")
    assert [c["conversation_id"] for c in listed] == [reviewed.conversation_id]
    assert listed[0]["ai_messages"][0]["tools"][0]["name"] == "search_knowledge"
    assert listed[0]["ai_messages"][0]["sources"] == ["kb:returns"]


def test_feedback_shows_up_grouped_in_misses(review_pipeline: Pipeline) -> None:
    returns_miss(review_pipeline)
    returns_miss(review_pipeline)
    shopper = Shopper(review_pipeline)
    message_id = ai_reply(shopper.says("where is my order"))
    give_feedback(
        review_pipeline,
        shopper.conversation_id,
        message_id=message_id,
        category="wrong_answer",
        what_was_wrong="It was delivered yesterday.",
        source="tool:lookup_orders",
        reviewer={"id": "r2", "name": "Kim"},
    )
    misses = review_pipeline.get("/review/misses", HELPDESK).json_body
    assert misses["total"] == 3
    categories = {g["key"]: g["count"] for g in misses["by_category"]}
    assert categories == {"policy_misquote": 2, "wrong_answer": 1}
    assert misses["by_category"][0]["examples"][0]["what_was_wrong"].startswith("Returns are 14")
    assert {g["key"]: g["count"] for g in misses["by_source"]} == {
        "kb:returns": 2,
        "tool:lookup_orders": 1,
    }
    assert {g["key"]: g["count"] for g in misses["by_intent"]} == {"returns": 2, "order_status": 1}


def test_feedback_defaults_its_source_and_keeps_the_reviewer(review_pipeline: Pipeline) -> None:
    shopper, message_id = returns_miss(review_pipeline)
    stored = review_pipeline.services.reviews.feedback_of(shopper.conversation_id)[0]
    assert stored["sources"] == ["kb:returns"] and stored["reviewer"]["name"] == "Riley"
    assert stored["message_id"] == message_id and stored["intent"] == "returns"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "tone", "what_was_wrong": "x"}, "message_id"),
        ({"message_id": "REPLY", "category": "rude", "what_was_wrong": "x"}, "category"),
        ({"message_id": "REPLY", "category": "tone"}, "what_was_wrong"),
        ({"message_id": "REPLY", "category": "tone", "what_was_wrong": "x", "source": 3}, "source"),
        (
            {"message_id": "REPLY", "category": "tone", "what_was_wrong": "x", "reviewer": "me"},
            "reviewer",
        ),
    ],
)
def test_bad_feedback_is_a_400_naming_the_field(
    review_pipeline: Pipeline, body: dict[str, Any], field: str
) -> None:
    shopper = Shopper(review_pipeline)
    reply = ai_reply(shopper.says("where is my order"))
    body = {k: (reply if v == "REPLY" else v) for k, v in body.items()}
    answer = give_feedback(review_pipeline, shopper.conversation_id, **body)
    assert answer.status_code == 400 and answer.json_body["error"]["field"] == field


def test_feedback_on_unknown_things_is_a_404(review_pipeline: Pipeline) -> None:
    shopper = Shopper(review_pipeline)
    shopper.says("where is my order")
    body = {"message_id": "nope", "category": "tone", "what_was_wrong": "x"}
    assert give_feedback(review_pipeline, shopper.conversation_id, **body).status_code == 404
    assert give_feedback(review_pipeline, "conv_missing", **body).status_code == 404


def test_a_reviewed_conversation_exports_as_a_scenario(review_pipeline: Pipeline) -> None:
    shopper, _ = returns_miss(review_pipeline)
    path = f"/conversations/{shopper.conversation_id}/scenario"
    response = review_pipeline.client.http.post(path, headers=HELPDESK)
    assert response.status_code == 200, response.body
    scenario = yaml.safe_load(response.body)
    assert {"name", "channel", "verified", "customer", "turns"} <= set(scenario)
    assert scenario["channel"] == "webchat" and scenario["verified"] is True
    assert scenario["customer"]["profile"]["email"] == "customer@example.com"
    assert scenario["customer"]["orders"][0]["order_number"]
    assert [t["customer"] for t in scenario["turns"]] == ["what is your return policy?"]
    expect = scenario["turns"][-1]["expect"]
    assert "14 days" in expect["reply_contains"]
    assert expect["reply_excludes"] == ["30 days"]
    assert "tools" not in expect  # the bad answer's tools are no requirement of the right one
    allowed = {"escalated", "reply_contains", "reply_excludes", "tools", "reasons"}
    assert set(expect) <= allowed


def test_a_conversation_without_a_correct_answer_cannot_be_exported(
    review_pipeline: Pipeline,
) -> None:
    shopper = Shopper(review_pipeline)
    shopper.says("where is my order")
    path = f"/conversations/{shopper.conversation_id}/scenario"
    assert review_pipeline.client.http.post(path, headers=HELPDESK).status_code == 409


def test_review_queue_rejects_unknown_flags_and_cursors(review_pipeline: Pipeline) -> None:
    bad_flag = review_pipeline.get("/review/conversations?flag=angry", HELPDESK)
    assert bad_flag.status_code == 400 and bad_flag.json_body["error"]["field"] == "flag"
    bad_cursor = review_pipeline.get("/review/conversations?flag=escalated&cursor=abc", HELPDESK)
    assert bad_cursor.status_code == 400 and bad_cursor.json_body["error"]["field"] == "cursor"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/review/conversations?flag=escalated"),
        ("GET", "/review/misses"),
        ("GET", "/review/dashboard"),
        ("GET", "/metrics"),
        ("POST", "/conversations/c1/feedback"),
        ("POST", "/conversations/c1/scenario"),
    ],
)
def test_review_endpoints_need_the_helpdesk_key(
    review_pipeline: Pipeline, method: str, path: str
) -> None:
    for headers in ({}, {"X-Api-Key": "dev-store-key"}):
        response = review_pipeline.client.http.request(method, path, headers=headers, body=b"{}")
        assert response.status_code == 401
