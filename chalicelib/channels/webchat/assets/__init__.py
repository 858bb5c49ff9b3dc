"""The embeddable web-chat widget and the demo store page that shows it, served by the chat routes.

May import: nothing of ours (files beside it only).
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from pathlib import Path

_ASSETS = Path(__file__).parent
_PLACEHOLDER = re.compile(r"\{\{(API_BASE|IDENTITY_TOKEN)\}\}")


@cache
def _read(name: str) -> str:
    """The text of one asset file next to this module, read once."""
    return (_ASSETS / name).read_text(encoding="utf-8")


def widget_js() -> str:
    """The widget script served at GET /chat/widget.js."""
    return _read("widget.js")


def demo_page(api_base: str, identity_token: str | None = None) -> str:
    """The demo store page, its widget talking to `api_base` (as the shopper of `identity_token`)."""
    values = {
        "API_BASE": escape(api_base.rstrip("/"), quote=True),
        "IDENTITY_TOKEN": escape(identity_token or "", quote=True),
    }
    # One pass, so a substituted value is never itself searched for placeholders.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], _read("demo.html"))
