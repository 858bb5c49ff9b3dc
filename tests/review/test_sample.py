"""Periodic review samples the AI's ordinary conversations: unflagged, AI-handled, newest first."""

from __future__ import annotations

from tests.harness import Pipeline
from tests.review.support import HELPDESK, Shopper


def sample(pipeline: Pipeline, query: str = "") -> list[str]:
    answer = pipeline.get(f"/review/sample{query}", HELPDESK)
    assert answer.status_code == 200, answer.body
    return [c["conversation_id"] for c in answer.json_body["conversations"]]


def test_unflagged_ai_conversations_are_listed_newest_first_and_can_be_sampled(
    review_pipeline: Pipeline,
) -> None:
    ordinary = []
    for question in ("where is my order?", "what is your return policy?", "my order?"):
        shopper = Shopper(review_pipeline)
        shopper.says(question)
        ordinary.append(shopper.conversation_id)
    escalated, fallback = Shopper(review_pipeline), Shopper(review_pipeline)
    escalated.says("I want a human")
    fallback.says("blorp")
    assert sample(review_pipeline) == list(reversed(ordinary))
    assert sample(review_pipeline, "?limit=2") == list(reversed(ordinary))[:2]
    drawn = sample(review_pipeline, "?random=true&limit=2&seed=7")
    assert len(drawn) == 2 and set(drawn) <= set(ordinary)
    assert drawn == sample(review_pipeline, "?random=true&limit=2&seed=7")  # repeatable by seed
    bad = review_pipeline.get("/review/sample?random=maybe", HELPDESK)
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "random"
    assert review_pipeline.get("/review/sample").status_code == 401


def test_the_dashboard_lists_conversations_to_spot_check(review_pipeline: Pipeline) -> None:
    shopper = Shopper(review_pipeline)
    shopper.says("where is my order?")
    page = review_pipeline.get("/review/dashboard", HELPDESK).body.decode()
    assert "Spot-check the AI" in page and shopper.conversation_id in page


def test_a_spot_check_link_opens_the_transcript_with_the_browser_session(
    review_pipeline: Pipeline,
) -> None:
    from chalicelib.http.signin import SESSION_COOKIE, issue_session

    shopper = Shopper(review_pipeline)
    shopper.says("where is my order?")
    page = review_pipeline.get("/review/dashboard", HELPDESK).body.decode()
    link = f"href='conversations/{shopper.conversation_id}'"
    assert link in page and "href='sample?random=true'" in page
    path = f"/review/conversations/{shopper.conversation_id}"
    session = {"Cookie": f"{SESSION_COOKIE}={issue_session('dev-helpdesk-key')}"}
    browser = {"Accept": "text/html", **session}
    opened = review_pipeline.get(path, browser)
    assert opened.status_code == 200 and "where is my order?" in opened.body.decode()
    assert "data-author='ai'" in opened.body.decode()
    as_json = review_pipeline.get(path, HELPDESK).json_body
    assert [m["author"] for m in as_json["messages"]] == ["customer", "ai"]
    assert review_pipeline.get(path).status_code == 401
    assert review_pipeline.get(path, {"Accept": "text/html"}).status_code == 303
    assert review_pipeline.get("/review/conversations/nope", HELPDESK).status_code == 404
