"""The review dashboard in headless chromium: served by the app on moto, charts drawn with data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from chalicelib import bootstrap
from dev.seed import demo_events
from tests.harness import Pipeline, start_pipeline
from tests.review.support import HELPDESK, STORE, ScriptedAgent, Shopper, human_replies, resolve

pytestmark = pytest.mark.browser
BASE = "http://tandem.test"


@pytest.fixture
def reviewed(moto_clean: str) -> Iterator[Pipeline]:
    """The app with a few AI and human conversations, a CSAT answer and two misses."""
    pipeline = start_pipeline(moto_clean, overrides={"agent": ScriptedAgent()})
    pipeline.post_json("/events", {"events": demo_events()}, STORE)
    for text in ("where is my order?", "return policy?", "I want a human", "broken!"):
        shopper = Shopper(pipeline)
        transcript = shopper.says(text)
        if "human" in text or "broken" in text:
            human_replies(pipeline, shopper.conversation_id, "On it.")
        resolve(pipeline, shopper.conversation_id)
        shopper.says("4")
        body = {
            "message_id": transcript[1]["id"],
            "category": "wrong_answer",
            "what_was_wrong": "x",
        }
        pipeline.post_json(f"/conversations/{shopper.conversation_id}/feedback", body, HELPDESK)
    yield pipeline
    bootstrap.reset(None)


def serve_through_app(page: Any, pipeline: Pipeline) -> None:
    """Answer the browser's requests to BASE with the app (chalice's test client)."""

    def handle(route: Any) -> None:
        url = urlsplit(route.request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        answer = pipeline.get(path, dict(route.request.headers))
        route.fulfill(status=answer.status_code, headers=answer.headers, body=answer.body)

    page.route(f"{BASE}/**", handle)


def test_dashboard_renders_charts_with_data(
    page: Any, reviewed: Pipeline, artifacts_dir: Path
) -> None:
    serve_through_app(page, reviewed)
    page.set_extra_http_headers(HELPDESK)
    page.goto(f"{BASE}/review/dashboard")
    charts = page.locator("section[data-chart] svg")
    assert charts.count() == 5
    values = page.eval_on_selector_all(
        "svg rect.bar", "bars => bars.map(b => Number(b.dataset.value))"
    )
    assert sum(values) > 0
    columns = page.locator("section[data-chart='Conversations per day'] rect[data-group]")
    assert sum(int(v) for v in columns.evaluate_all("bars => bars.map(b => b.dataset.value)")) == 4
    reasons = page.locator("section[data-chart='Top escalation reasons'] rect.bar")
    assert sorted(reasons.evaluate_all("bars => bars.map(b => b.dataset.label)")) == [
        "damaged_item",
        "human_requested",
    ]
    page.screenshot(path=str(artifacts_dir / "review-dashboard.png"), full_page=True)


def test_dashboard_without_the_key_shows_the_sign_in_form(page: Any, reviewed: Pipeline) -> None:
    serve_through_app(page, reviewed)  # a fulfilled route cannot redirect a navigation: by hand
    answer = reviewed.get("/review/dashboard", {"Accept": "text/html"})
    assert answer.status_code == 303
    page.goto(BASE + answer.headers["Location"])
    assert page.locator("form input#key[type=password]").count() == 1
    assert page.locator("section[data-chart]").count() == 0
