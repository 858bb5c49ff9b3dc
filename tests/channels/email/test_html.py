"""HTML replies: each client's quoted history is found by its structure and read as quoted."""

from __future__ import annotations

import pytest

from chalicelib.channels.email.html import html_to_text
from chalicelib.channels.email.reply import visible_reply

REPLY = "<div>Where is order #1001?</div>"
HISTORY = "<div>Your refund for order #987 was processed.</div><div>Northwind Threads</div>"
HEADER = "Mon, 23 Nov 2026 18:02 Northwind Threads &lt;s@shop.example&gt;"


@pytest.mark.parametrize(
    "quoted",
    [
        # Gmail: the header and the quote inside div.gmail_quote
        f'<div class="gmail_quote"><div class="gmail_attr">On {HEADER} wrote:<br></div>'
        f'<blockquote class="gmail_quote">{HISTORY}</blockquote></div>',
        # Outlook on the web: everything from divRplyFwdMsg on, its siblings included
        '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr">'
        f"<b>From:</b> Shop<br><b>Sent:</b> Monday</div><div>{HISTORY}</div>",
        # Outlook for Mac
        f'<span id="OLK_SRC_BODY_SECTION"><div><span>From: </span>Shop</div>{HISTORY}</span>',
        # Apple Mail and iOS: the header inside blockquote type=cite
        f'<blockquote type="cite"><div>On {HEADER} wrote:</div>{HISTORY}</blockquote>',
        # Yahoo
        f'<div id="yahoo_quoted_123" class="yahoo_quoted"><div>On {HEADER} wrote:</div>{HISTORY}</div>',
        # Thunderbird: the cite prefix outside the blockquote
        f'<div class="moz-cite-prefix">On 23/11/2026 18:02, Shop wrote:<br></div>'
        f'<blockquote type="cite" cite="mid:x@shop.example">{HISTORY}</blockquote>',
        # Zoho
        f'<div class="zmail_extra"><div>---- On {HEADER} wrote ----</div>{HISTORY}</div>',
    ],
)
def test_each_clients_quoted_history_is_removed_by_structure(quoted: str) -> None:
    text = html_to_text(f"<html><body>{REPLY}{quoted}</body></html>")
    assert "Northwind Threads" in text  # the original keeps it, marked as quoted
    assert visible_reply(text) == "Where is order #1001?"


def test_text_after_a_closed_quote_container_is_the_customers_again() -> None:
    page = (
        '<div class="gmail_quote"><div>Which size?</div><div><div>nested</div></div></div>'
        "<div>M please</div>"
    )
    assert visible_reply(html_to_text(page)) == "M please"


def test_a_history_start_quotes_the_rest_even_outside_its_element() -> None:
    page = f'<div>{REPLY}<div id="divRplyFwdMsg"><b>From:</b> Shop</div></div><p>{HISTORY}</p>'
    assert visible_reply(html_to_text(page)) == "Where is order #1001?"


def test_a_class_that_only_resembles_a_quote_container_is_read() -> None:
    page = '<div class="gmail_default">Where is order #1001?</div><div class="quote-of-the-day">Hi</div>'
    assert visible_reply(html_to_text(page)).split() == ["Where", "is", "order", "#1001?", "Hi"]
