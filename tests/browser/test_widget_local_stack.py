"""The widget on the real local stack, as a shopper uses it in Debian's chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dev.seed import identity_token
from dev.stack import LOCAL_DEFAULTS
from tests.browser import widget_driver as shopper
from tests.harness import RunningStack


def demo_url(stack: RunningStack) -> str:
    token = identity_token(LOCAL_DEFAULTS["CHAT_IDENTITY_SECRET"])
    return f"{stack.api_url}/chat/demo?identity_token={token}"


def test_identified_shopper_asks_reloads_and_stays_safe(
    local_stack: RunningStack, page: Any, artifacts_dir: Path
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    shopper.open_demo(page, demo_url(local_stack))
    shopper.open_chat(page)
    shopper.send_message(page, "where is my order?")
    reply = shopper.wait_for_message(page, "ai", "1001")
    assert "UPS" in str(reply.text_content())

    page.reload()
    shopper.open_chat(page)
    shopper.wait_for_message(page, "ai", "1001")
    assert [author for author, _ in shopper.transcript(page)][:2] == ["customer", "ai"]

    hostile = "<img src=x onerror=alert(1)>"
    shopper.send_message(page, hostile)
    shopper.wait_for_message(page, "customer", hostile)
    shopper.wait_for_reply_to_finish(page)
    assert page.locator(f"{shopper.ROOT} img").count() == 0 and dialogs == []
    shopper.save_screenshot(page, artifacts_dir, "webchat-local-stack")


def test_handoff_state_then_a_human_reply_shows_as_human(
    local_stack: RunningStack, page: Any, artifacts_dir: Path
) -> None:
    import requests

    shopper.open_demo(page, demo_url(local_stack))
    shopper.open_chat(page)
    shopper.send_message(page, "My linen tee arrived broken. This is ridiculous!!")
    assert "teammate" in shopper.handoff_note(page).lower()

    session_id = page.evaluate(
        "key => JSON.parse(sessionStorage.getItem(key)).session_id",
        f"tandem.session:{local_stack.api_url}",
    )
    reply = requests.post(
        f"{local_stack.api_url}/conversations/{session_id}/replies",
        json={
            "text": "So sorry! A replacement ships today.",
            "agent": {"id": "a1", "name": "Maya"},
        },
        headers={"X-Api-Key": "dev-helpdesk-key"},
        timeout=10,
    )
    assert reply.status_code == 201, reply.text
    human = shopper.wait_for_message(page, "human", "replacement ships today", timeout=25_000)
    assert "Maya" in str(human.text_content())
    shopper.save_screenshot(page, artifacts_dir, "webchat-local-stack-handoff")
