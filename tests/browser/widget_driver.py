"""Steps a shopper takes with the chat widget, on a Playwright page; shared by fake and real stacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = ".tandem-root"
LAUNCHER = ".tandem-launcher"
PANEL = ".tandem-panel"
INPUT = ".tandem-input"
MESSAGE = ".tandem-msg"
HANDOFF = ".tandem-handoff"
TYPING = ".tandem-typing"


def open_demo(page: Any, url: str) -> None:
    """Load the demo store page and wait for the widget's chat bubble."""
    page.goto(url)
    page.locator(LAUNCHER).wait_for(state="visible")


def open_chat(page: Any) -> None:
    """Click the chat bubble and wait for the panel."""
    if page.locator(PANEL).is_hidden():
        page.locator(LAUNCHER).click()
    page.locator(PANEL).wait_for(state="visible")


def send_message(page: Any, text: str) -> None:
    """Type a message in the panel and send it with Enter."""
    page.locator(INPUT).fill(text)
    page.locator(INPUT).press("Enter")


def wait_for_message(page: Any, author: str, contains: str, timeout: float = 15_000) -> Any:
    """The (last) message by `author` (customer|ai|human) containing `contains`, once shown."""
    found = page.locator(f"{MESSAGE}[data-author={author}]", has_text=contains).last
    found.wait_for(state="visible", timeout=timeout)
    return found


def transcript(page: Any) -> list[tuple[str, str]]:
    """Every message shown in the widget as (author, text), in order."""
    rows = page.locator(f"{MESSAGE}").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.author,"
        " n.querySelector('.tandem-msg__text').textContent])"
    )
    return [(author, text) for author, text in rows]


def handoff_note(page: Any, timeout: float = 15_000) -> str:
    """The handoff note's text, once it is shown."""
    note = page.locator(HANDOFF)
    note.wait_for(state="visible", timeout=timeout)
    return str(note.text_content())


def wait_for_reply_to_finish(page: Any, timeout: float = 15_000) -> None:
    """Wait until the typing indicator is gone."""
    page.locator(TYPING).wait_for(state="hidden", timeout=timeout)


def save_screenshot(page: Any, artifacts_dir: Path, name: str) -> Path:
    """Save a screenshot of the page under `artifacts_dir` and return its path."""
    path = artifacts_dir / f"{name}.png"
    page.screenshot(path=str(path))
    return path
