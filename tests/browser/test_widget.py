"""The web-chat widget in a real browser, against a fake chat API on another origin (CORS)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser import widget_driver as shopper
from tests.browser.fake_chat_api import ORDER_REPLY, FakeChatApi

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

XSS = "<img src=x onerror=alert(1)>"
# Headless chromium never hides a tab: fake document.hidden and tell the page it changed.
HIDE_TAB = """() => {
  Object.defineProperty(document, "hidden", {configurable: true, get: () => HIDDEN});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


@pytest.fixture
def fake_chat() -> Iterator[FakeChatApi]:
    """A fake chat API, with its demo page served from a second origin like a store's site."""
    api = FakeChatApi()
    api.api_url = api.start()
    api.store_url = api.start()
    yield api
    api.stop()


def demo_url(fake: FakeChatApi) -> str:
    """The demo store page on the store origin, its widget talking to the API origin."""
    return f"{fake.store_url}/chat/demo?api={quote(fake.api_url)}"


def ask_about_order(page: Any, fake: FakeChatApi) -> None:
    """Open the demo, ask where the order is and wait for the AI's answer."""
    shopper.open_demo(page, demo_url(fake))
    shopper.open_chat(page)
    shopper.send_message(page, "where is my order?")
    shopper.wait_for_message(page, "ai", "#1001")


def test_shopper_asks_where_their_order_is_and_sees_the_reply(
    page: Any, fake_chat: FakeChatApi, artifacts_dir: Path
) -> None:
    shopper.open_demo(page, demo_url(fake_chat))
    shopper.open_chat(page)
    shopper.send_message(page, "where is my order?")
    page.locator(shopper.TYPING).wait_for(state="visible")
    shopper.wait_for_message(page, "ai", "#1001")
    shopper.wait_for_reply_to_finish(page)
    assert shopper.transcript(page) == [("customer", "where is my order?"), ("ai", ORDER_REPLY)]
    shopper.save_screenshot(page, artifacts_dir, "webchat-desktop")


def test_reload_restores_the_history_of_the_same_session(page: Any, fake_chat: FakeChatApi) -> None:
    ask_about_order(page, fake_chat)
    before = shopper.transcript(page)
    page.reload()
    shopper.wait_for_message(page, "ai", "#1001")
    assert shopper.transcript(page) == before
    assert len(fake_chat.sessions) == 1
    assert page.locator(shopper.PANEL).is_visible(), "the panel stays open across the reload"


def test_html_in_messages_is_shown_as_text(page: Any, fake_chat: FakeChatApi) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    shopper.open_demo(page, demo_url(fake_chat))
    shopper.open_chat(page)
    shopper.send_message(page, XSS)
    shopper.wait_for_message(page, "ai", f"You said: {XSS}")
    assert ("customer", XSS) in shopper.transcript(page)
    assert page.locator(f"{shopper.ROOT} img").count() == 0
    assert dialogs == []


def test_human_reply_shows_as_human_with_the_handoff_note(
    page: Any, fake_chat: FakeChatApi, artifacts_dir: Path
) -> None:
    ask_about_order(page, fake_chat)
    shopper.send_message(page, "It arrived torn, I want a refund")
    shopper.wait_for_message(page, "ai", "You said")
    session = fake_chat.only_session()
    fake_chat.escalate(session)
    assert "Waiting for a teammate" in shopper.handoff_note(page)
    shopper.send_message(page, "Thanks, I'll wait")
    shopper.wait_for_message(page, "customer", "I'll wait")
    fake_chat.human_reply(session, "So sorry! I'm sending a replacement today.", "Maya")
    human = shopper.wait_for_message(page, "human", "replacement")
    assert "Maya" in human.locator(".tandem-msg__label").text_content()
    page.locator(shopper.HANDOFF, has_text="chatting with Maya").wait_for()
    assert page.locator(shopper.TYPING).is_hidden(), "no AI typing once a human owns the chat"
    assert [a for a, _ in shopper.transcript(page)].count("ai") == 2, "the AI stopped answering"
    shopper.save_screenshot(page, artifacts_dir, "webchat-handoff")


def test_lost_response_is_retried_without_a_duplicate(page: Any, fake_chat: FakeChatApi) -> None:
    fake_chat.drop_next_post_response = True
    ask_about_order(page, fake_chat)
    session = fake_chat.only_session()
    client_ids = [post["client_id"] for post in fake_chat.message_posts]
    assert len(client_ids) == 2 and client_ids[0] == client_ids[1]
    assert len(fake_chat.customer_messages(session)) == 1
    shopper.wait_for_reply_to_finish(page)
    assert [author for author, _ in shopper.transcript(page)] == ["customer", "ai"]


def test_keyboard_only_shopper_can_chat(page: Any, fake_chat: FakeChatApi) -> None:
    shopper.open_demo(page, demo_url(fake_chat))
    launcher = page.locator(shopper.LAUNCHER)
    launcher.focus()
    page.keyboard.press("Enter")
    page.locator(shopper.PANEL).wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "tandem-chat-input"
    page.keyboard.type("where is my order?")
    page.keyboard.press("Enter")
    shopper.wait_for_message(page, "ai", "#1001")
    page.keyboard.press("Escape")
    page.locator(shopper.PANEL).wait_for(state="hidden")
    assert page.evaluate("document.activeElement.className") == "tandem-launcher"
    assert launcher.get_attribute("aria-expanded") == "false"


def test_widget_fits_a_360px_phone_screen(
    browser: Any, fake_chat: FakeChatApi, artifacts_dir: Path
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        ask_about_order(page, fake_chat)
        shopper.wait_for_reply_to_finish(page)
        box = page.locator(shopper.PANEL).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shopper.save_screenshot(page, artifacts_dir, "webchat-360px")
    finally:
        context.close()


def test_rejected_token_opens_a_new_session_and_the_message_still_goes_out(
    page: Any, fake_chat: FakeChatApi
) -> None:
    ask_about_order(page, fake_chat)
    fake_chat.revoke_tokens()
    shopper.send_message(page, "and my other order?")
    # The new session is a new conversation: the widget shows it alone.
    expect(page.locator(shopper.MESSAGE)).to_have_count(2, timeout=15_000)
    assert shopper.transcript(page) == [("customer", "and my other order?"), ("ai", ORDER_REPLY)]
    assert len(fake_chat.sessions) == 2
    assert [
        m["text"] for m in fake_chat.customer_messages(list(fake_chat.sessions.values())[1])
    ] == ["and my other order?"]


def test_polling_pauses_while_the_tab_is_hidden(page: Any, fake_chat: FakeChatApi) -> None:
    ask_about_order(page, fake_chat)
    page.evaluate(HIDE_TAB.replace("HIDDEN", "true"))
    page.wait_for_timeout(300)  # let a poll already in flight land
    polls = fake_chat.polls
    page.wait_for_timeout(3_500)  # longer than the idle poll interval right after a reply
    assert fake_chat.polls == polls
    page.evaluate(HIDE_TAB.replace("HIDDEN", "false"))
    page.wait_for_timeout(500)
    assert fake_chat.polls > polls, "polling resumes as soon as the tab is visible again"
