"""The human's deadline shows once in web chat, in the shopper's own time zone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.browser import widget_driver as shopper
from tests.browser.test_widget_local_stack import demo_url
from tests.harness import RunningStack, poll_until

SHOPPER_ZONE = "Asia/Tokyo"  # far from the store's America/New_York
TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}\s?[AP]M\b", re.IGNORECASE)


@pytest.fixture
def tokyo_page(browser: Any) -> Iterator[Any]:
    """A page whose browser runs in Tokyo, as a shopper there has it."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id=SHOPPER_ZONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_deadline_is_shown_once_in_the_shoppers_time_zone(
    local_stack: RunningStack, tokyo_page: Any
) -> None:
    page = tokyo_page
    shopper.open_demo(page, demo_url(local_stack))
    shopper.open_chat(page)
    shopper.send_message(page, "My linen tee arrived broken. This is ridiculous!!")
    shopper.handoff_note(page)
    holding = shopper.wait_for_message(page, "ai", "patience", timeout=25_000)
    session_id = page.evaluate(
        "key => JSON.parse(sessionStorage.getItem(key)).session_id",
        f"tandem.session:{local_stack.api_url}",
    )
    respond_by = respond_by_of(local_stack, session_id)
    local = respond_by.astimezone(ZoneInfo(SHOPPER_ZONE))
    shown = str(page.locator(shopper.ROOT).inner_text())
    assert len(TIME_OF_DAY.findall(shown)) == 1, shown  # one deadline on screen, not two
    hour = local.strftime("%I").lstrip("0")
    assert f"{hour}:{local:%M} {local:%p}" in str(holding.text_content()), (local, shown)


def respond_by_of(stack: RunningStack, conversation_id: str) -> datetime:
    """The deadline the escalation promised, as the helpdesk API shows it."""
    url = f"{stack.api_url}/conversations/{conversation_id}"
    headers = {"X-Api-Key": "dev-helpdesk-key"}

    def fetch() -> dict[str, Any]:
        return dict(requests.get(url, headers=headers, timeout=10).json())

    found = poll_until(fetch, lambda body: bool(body.get("respond_by")), seconds=20)
    return datetime.fromisoformat(str(found["respond_by"]).replace("Z", "+00:00"))
