"""`make run`'s stack as a store and a shopper use it: real HTTP, moto server, emulated Lambda."""

from __future__ import annotations

from typing import Any

import requests

from dev.seed import demo_events, identity_token
from dev.stack import LOCAL_DEFAULTS
from tests.harness import RunningStack, poll_until

STORE = {"X-Api-Key": "dev-store-key"}


def chat(stack: RunningStack, text: str, token: str | None = None) -> list[dict[str, Any]]:
    body = {"identity_token": token} if token else {}
    opened = requests.post(f"{stack.api_url}/chat/sessions", json=body, timeout=10).json()
    path = f"{stack.api_url}/chat/sessions/{opened['session_id']}/messages"
    auth = {"Authorization": f"Bearer {opened['token']}"}
    assert requests.post(path, json={"text": text}, headers=auth, timeout=10).status_code == 202
    listed = poll_until(
        lambda: requests.get(path, headers=auth, timeout=10).json()["messages"],
        lambda messages: any(m["author"] == "ai" for m in messages),
    )
    return list(listed)


def test_health_and_seeded_demo(local_stack: RunningStack) -> None:
    assert requests.get(f"{local_stack.api_url}/health", timeout=5).status_code == 200
    again = requests.post(
        f"{local_stack.api_url}/events", json={"events": demo_events()}, headers=STORE, timeout=10
    )
    assert again.status_code == 202 and again.json() == {"accepted": 0, "duplicates": 3}


def test_identified_shopper_hears_order_carrier_and_tracking(local_stack: RunningStack) -> None:
    token = identity_token(LOCAL_DEFAULTS["CHAT_IDENTITY_SECRET"])
    reply = chat(local_stack, "where is my order?", token)[-1]
    assert reply["author"] == "ai"
    assert (
        "1001" in reply["text"] and "UPS" in reply["text"] and "1Z999AA10123456784" in reply["text"]
    )


def test_anonymous_visitor_hears_no_order_details(local_stack: RunningStack) -> None:
    reply = chat(local_stack, "where is my order #1001?")[-1]
    assert reply["author"] == "ai" and "UPS" not in reply["text"] and "1Z999" not in reply["text"]


def test_widget_and_demo_page_are_served(local_stack: RunningStack) -> None:
    script = requests.get(f"{local_stack.api_url}/chat/widget.js", timeout=5)
    page = requests.get(f"{local_stack.api_url}/chat/demo", timeout=5)
    assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
    assert page.status_code == 200 and "widget.js" in page.text
