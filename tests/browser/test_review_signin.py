"""The review dashboard in a browser: sign in with a helpdesk key, a session cookie, no cross-site
sign-in. Against the local stack (chalice local over http://127.0.0.1, which Chromium treats as a
secure context, so the Secure cookie is kept)."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from chalicelib.http.signin import SESSION_COOKIE, issue_session
from tests.harness import RunningStack

pytestmark = [pytest.mark.browser, pytest.mark.stack]
KEY = "dev-helpdesk-key"
ATTACKER = "http://attacker.test"


def sign_in(page: Any, stack: RunningStack, key: str = KEY) -> Any:
    page.goto(f"{stack.api_url}/review/dashboard")
    assert page.url.startswith(f"{stack.api_url}/review/signin")
    page.fill("#key", key)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page


def session_cookies(page: Any) -> list[dict[str, Any]]:
    return [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]


def test_signing_in_opens_the_dashboard_with_a_strict_session_cookie(
    page: Any, local_stack: RunningStack
) -> None:
    sign_in(page, local_stack)
    assert page.url == f"{local_stack.api_url}/review/dashboard"
    assert page.locator("section[data-chart] svg").count() == 5
    (cookie,) = session_cookies(page)
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/review" and cookie["expires"] - time.time() <= 30 * 60 + 5
    assert page.evaluate("document.cookie") == ""  # HttpOnly: scripts cannot read it
    assert page.goto(f"{local_stack.api_url}/review/misses").status == 200


def test_a_wrong_key_gets_the_form_again_and_no_cookie(
    page: Any, local_stack: RunningStack
) -> None:
    sign_in(page, local_stack, key="not-a-key")
    assert page.locator("[role=alert]").inner_text() == "That key is not a helpdesk API key."
    assert session_cookies(page) == []


@pytest.mark.parametrize(
    "token",
    [
        issue_session("someone-elses-key"),
        issue_session(KEY, now=time.time() - 3600),
        issue_session(KEY)[:-4] + "AAAA",
        "not-a-token",
    ],
    ids=["forged", "expired", "tampered", "garbage"],
)
def test_a_forged_or_expired_cookie_gets_401(
    page: Any, local_stack: RunningStack, token: str
) -> None:
    page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "url": f"{local_stack.api_url}/review/"}]
    )
    answer = page.goto(f"{local_stack.api_url}/review/dashboard")
    assert answer is not None and answer.status == 401
    assert answer.json()["error"]["code"] == "unauthorized"


def test_the_sign_in_cannot_be_used_cross_site(page: Any, local_stack: RunningStack) -> None:
    page.goto(f"{local_stack.api_url}/review/signin")  # the victim once opened the form
    attack = f"""<form id="f" method="post" action="{local_stack.api_url}/review/signin">
      <input name="key" value="{KEY}"><input name="csrf" value="guessed"></form>
      <script>document.getElementById('f').submit()</script>"""
    page.route(
        f"{ATTACKER}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=attack),
    )
    with page.expect_navigation(url=f"{local_stack.api_url}/review/signin") as landed:
        page.goto(f"{ATTACKER}/prize")
    assert landed.value.status == 403
    assert session_cookies(page) == []


def test_machines_keep_using_the_api_key(local_stack: RunningStack) -> None:
    url = f"{local_stack.api_url}/review/dashboard"
    assert requests.get(url, headers={"X-Api-Key": KEY}, timeout=10).status_code == 200
    refused = requests.get(url, timeout=10)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    forged = requests.post(f"{local_stack.api_url}/review/signin", data={"key": KEY}, timeout=10)
    assert forged.status_code == 403  # no form token: not from our sign-in page


def ai_conversation(stack: RunningStack, text: str) -> str:
    """A web-chat conversation the AI answered on the stack; its id."""
    opened = requests.post(f"{stack.api_url}/chat/sessions", json={}, timeout=10).json()
    path = f"{stack.api_url}/chat/sessions/{opened['session_id']}/messages"
    auth = {"Authorization": f"Bearer {opened['token']}"}
    assert requests.post(path, json={"text": text}, headers=auth, timeout=10).status_code == 202
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        messages = requests.get(path, headers=auth, timeout=10).json()["messages"]
        if any(m["author"] == "ai" for m in messages):
            return str(opened["session_id"])
        time.sleep(0.3)
    raise AssertionError("the AI did not answer within 30 s")


def test_a_spot_check_link_opens_its_transcript_in_the_signed_in_session(
    page: Any, local_stack: RunningStack
) -> None:
    conversation_id = ai_conversation(local_stack, "What is your return policy?")
    sign_in(page, local_stack)
    link = page.locator(
        f"section[data-chart='Spot-check the AI'] a[href='conversations/{conversation_id}']"
    )
    with page.expect_navigation():
        link.click()
    assert page.url == f"{local_stack.api_url}/review/conversations/{conversation_id}"
    assert (
        page.locator("li[data-author='customer']")
        .inner_text()
        .endswith("What is your return policy?")
    )
    assert page.locator("li[data-author='ai']").count() == 1
    page.go_back()
    with page.expect_navigation():
        page.click("a[href='sample?random=true']")
    assert conversation_id in page.content()
