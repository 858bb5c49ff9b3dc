"""Every HTML page in headless chromium: strict security headers, and hostile input never runs.

The app answers the browser's requests (chalice's test client on moto), so the browser sees the
app's own headers. A script that runs is caught two ways: a dialog (alert, confirm, prompt) and
`window.__xss`, which every payload sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from chalicelib import bootstrap
from dev.seed import demo_events
from tests.browser.widget_driver import LAUNCHER, open_chat, send_message, wait_for_message
from tests.harness import Pipeline, start_pipeline
from tests.review.support import HELPDESK, STORE, ScriptedAgent, Shopper, human_replies

pytestmark = pytest.mark.browser
BASE = "http://tandem.test"
FLAG = "window.__xss=1"
PAYLOADS = [
    f"<img src=x onerror={FLAG}>",
    f'"><script>{FLAG}</script>',
    f"'><svg onload={FLAG}>",
    f"javascript:{FLAG}",
    f'" onmouseover="{FLAG}" autofocus onfocus="{FLAG}',
    f"</style><script>{FLAG}</script>",
]
UNSUBSCRIBE_PATHS = [
    "javascript:eval(decodeURIComponent(location.hash.slice(1)))#" + quote(f"alert(1);{FLAG}"),
    *(quote(payload, safe="") for payload in PAYLOADS),
]


@pytest.fixture
def app(moto_clean: str) -> Iterator[Pipeline]:
    """The app on moto, its public URL the browser's origin, with the demo store's customers."""
    pipeline = start_pipeline(
        moto_clean, overrides={"agent": ScriptedAgent()}, PUBLIC_BASE_URL=BASE
    )
    pipeline.post_json("/events", {"events": demo_events()}, STORE)
    yield pipeline
    bootstrap.reset(None)


class Watched:
    """A page whose requests the app answers, with every dialog recorded and dismissed."""

    def __init__(self, page: Any, pipeline: Pipeline) -> None:
        self.page, self.pipeline = page, pipeline
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)
        page.route(f"{BASE}/**", self._answer)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _answer(self, route: Any) -> None:
        request, url = route.request, urlsplit(route.request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        answer = self.pipeline.client.http.request(
            request.method,
            path,
            headers=dict(request.headers),
            body=request.post_data_buffer or b"",
        )
        route.fulfill(status=answer.status_code, headers=answer.headers, body=answer.body)

    def assert_nothing_ran(self) -> None:
        """No dialog opened and no payload set its flag (in this page or a frame it navigated)."""
        self.page.wait_for_timeout(300)  # a handler on load or focus has had its turn
        assert self.dialogs == [], self.dialogs
        flags = [frame.evaluate("() => window.__xss || null") for frame in self.page.frames]
        assert flags == [None] * len(flags), flags


def assert_strict_headers(headers: dict[str, str]) -> None:
    """CSP without inline script, no sniffing, no referrer leak, never framed."""
    policy = headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    script = directives.get("script-src", directives.get("default-src"))
    assert script is not None, policy
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, policy
    assert "*" not in script and "data:" not in script, policy
    assert directives.get("frame-ancestors") == ["'none'"], policy
    assert directives.get("base-uri") == ["'none'"], policy
    assert "object-src" in directives or directives.get("default-src") == ["'none'"], policy
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "same-origin"
    assert headers.get("x-frame-options") == "DENY"


def html_pages(pipeline: Pipeline) -> list[tuple[str, dict[str, str]]]:
    """Every HTML page of the app, with the headers it needs."""
    return [
        ("/unsubscribe/some-token", {}),
        ("/chat/demo", {}),
        ("/chat/demo?identity_token=abc", {}),
        ("/review/dashboard", HELPDESK),
    ]


def test_every_html_page_sends_strict_security_headers(page: Any, app: Pipeline) -> None:
    watched = Watched(page, app)
    for path, headers in html_pages(app):
        page.set_extra_http_headers(headers)
        answer = page.goto(f"{BASE}{path}")
        assert answer is not None and answer.status == 200, path
        assert answer.headers["content-type"].startswith("text/html"), path
        assert_strict_headers(answer.headers)
    watched.assert_nothing_ran()


def test_the_widget_script_is_served_as_script_and_embeddable(page: Any, app: Pipeline) -> None:
    Watched(page, app)
    answer = page.goto(f"{BASE}/chat/widget.js")
    assert answer is not None and answer.status == 200
    assert answer.headers["content-type"].startswith("application/javascript")
    assert answer.headers.get("x-content-type-options") == "nosniff"
    assert answer.headers.get("cross-origin-resource-policy") == "cross-origin"


def test_json_answers_are_not_sniffed_or_framed(page: Any, app: Pipeline) -> None:
    Watched(page, app)
    answer = page.goto(f"{BASE}/health")
    assert answer is not None and answer.headers.get("x-content-type-options") == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers.get("content-security-policy", "")


@pytest.mark.parametrize("token", UNSUBSCRIBE_PATHS)
def test_hostile_unsubscribe_link_runs_nothing_when_clicked(
    page: Any, app: Pipeline, token: str
) -> None:
    watched = Watched(page, app)
    page.goto(f"{BASE}/unsubscribe/{token}")
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_load_state()
    watched.assert_nothing_ran()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_identity_token_on_the_demo_page_runs_nothing(
    page: Any, app: Pipeline, payload: str
) -> None:
    watched = Watched(page, app)
    page.goto(f"{BASE}/chat/demo?identity_token={quote(payload, safe='')}")
    page.locator(LAUNCHER).wait_for(state="visible")
    open_chat(page)
    watched.assert_nothing_ran()


def test_hostile_messages_from_customer_and_human_show_as_text(page: Any, app: Pipeline) -> None:
    watched = Watched(page, app)
    page.goto(f"{BASE}/chat/demo")
    open_chat(page)
    for payload in PAYLOADS:
        send_message(page, payload + " human please")
        wait_for_message(page, "customer", payload[:12])
    app.drain()
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, window.sessionStorage))")
    found = re.search(r"chat_[0-9a-f]+", stored)
    assert found is not None, stored
    conversation_id = found.group(0)  # the session's conversation
    for payload in PAYLOADS:
        human_replies(app, conversation_id, payload)
    wait_for_message(page, "human", PAYLOADS[-1][:12])
    watched.assert_nothing_ran()


def test_hostile_stored_fields_on_the_dashboard_run_nothing(page: Any, app: Pipeline) -> None:
    for payload in PAYLOADS:
        shopper = Shopper(app)
        transcript = shopper.says(f"broken! {payload}")
        body = {
            "message_id": transcript[-1]["id"],
            "category": "wrong_answer",
            "what_was_wrong": payload,
            "correct_answer": payload,
            "source": payload,
        }
        path = f"/conversations/{shopper.conversation_id}/feedback"
        assert app.post_json(path, body, {**HELPDESK, "X-Reviewer": payload}).status_code == 201
    watched = Watched(page, app)
    page.set_extra_http_headers(HELPDESK)
    for query in ("", f"?since={quote(PAYLOADS[1])}", f"?until={quote(PAYLOADS[0])}"):
        answer = page.goto(f"{BASE}/review/dashboard{query}")
        assert answer is not None and answer.status in (200, 400)
    watched.assert_nothing_ran()
