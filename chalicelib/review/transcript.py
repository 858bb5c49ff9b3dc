"""`GET /review/conversations/{id}` in a browser: one conversation's transcript, as HTML."""

from __future__ import annotations

from html import escape
from typing import Any

from chalicelib.review.dashboard import STYLE

TRANSCRIPT_STYLE = """
ol.transcript{list-style:none;margin:0;padding:0}
ol.transcript li{margin:0 0 12px;padding:10px 14px;border-radius:8px;background:#f1f5f9}
ol.transcript li.ai{background:#eef2ff} ol.transcript li.human{background:#ecfdf5}
ol.transcript small{display:block;color:#64748b} p.did{margin:6px 0 0;color:#475569}
"""


def _did(message: dict[str, Any]) -> str:
    """What the AI did with this message: tools called, actions taken, escalation reasons."""
    parts = [
        (label, ", ".join(message[key]))
        for label, key in (("tools", "tools"), ("actions", "actions"), ("escalated", "escalation"))
        if message[key]
    ]
    said = "; ".join(f"{label}: {escape(value)}" for label, value in parts)
    return f"<p class='did'>{said}</p>" if said else ""


def _message(message: dict[str, Any]) -> str:
    author = escape(message["author"])
    when = escape(message["created_at"] or "")
    return (
        f"<li class='{author}' data-author='{author}'><small>{author} · {when}</small>"
        f"{escape(message['text'])}{_did(message)}</li>"
    )


def transcript_page(view: dict[str, Any]) -> str:
    """The page for a `ReviewDesk.transcript` view."""
    cid = escape(view["conversation_id"])
    about = f"{escape(view['channel'])} · {escape(view['state'])} · {escape(view['created_at'])}"
    items = "".join(_message(message) for message in view["messages"])
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Transcript {cid}</title><style>{STYLE}{TRANSCRIPT_STYLE}</style></head><body>"
        f"<header><h1>Transcript <code>{cid}</code></h1><p>{about}</p></header>"
        f"<main><section class='wide'><p><a href='../dashboard'>Back to the dashboard</a></p>"
        f"<ol class='transcript'>{items}</ol></section></main></body></html>"
    )
