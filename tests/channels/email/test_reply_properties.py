"""Reply extraction on open-ended input: it never raises and never writes a word of its own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.channels.email.html import html_to_text
from chalicelib.channels.email.reply import visible_reply

# Pieces of real mail, mixed with arbitrary text, so the grammar's paths are all reached.
PIECES = [
    "On Mon, 23 Nov 2026 at 18:02 Shop <s@shop.example> wrote:",
    "Le 23 nov. 2026 à 18:02, Shop a écrit :",
    "ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com",
    ">:",
    "<",
    "> quoted line",
    ">> deeper",
    "",
    "-- ",
    "-----Original Message-----",
    "From: Shop <s@shop.example>",
    "Sent: Monday, 23 November 2026 18:02",
    "Subject: Order",
    "Sent from my iPhone",
    "reply--- On Wed, Apr 4, 2012 at 3:59 PM, me@domain.com wrote:",
    "---- Shop wrote ----",
    "-Ava",
    "____",
    "Thanks, where is order #1001?",
]
LINES = st.one_of(st.sampled_from(PIECES), st.text(max_size=80))
BODIES = st.lists(LINES, max_size=30).map("\n".join)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


def comes_from(output: str, body: str) -> bool:
    """Each non-blank output line starts a line of the body, in the body's order."""
    source = [line.rstrip() for line in body.splitlines()]
    position = 0
    for line in output.split("\n"):
        if not line.strip():
            continue
        while position < len(source) and not source[position].startswith(line):
            position += 1
        if position == len(source):
            return False
        position += 1
    return True


@settings(max_examples=400, deadline=None)
@given(BODIES, NEWLINES)
def test_extraction_never_raises_and_only_keeps_starts_of_input_lines(body: str, nl: str) -> None:
    body = body.replace("\n", nl)
    output = visible_reply(body)
    assert isinstance(output, str)
    assert comes_from(output, body)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("\n".join))
def test_text_without_quotes_or_headers_above_is_never_emptied_when_it_starts_with_words(
    tail: str,
) -> None:
    body = f"Thanks, where is order #1001?\n\n{tail}"
    assert visible_reply(body).startswith("Thanks, where is order #1001?")


HTML_PIECES = st.sampled_from(
    [
        '<div class="gmail_quote">',
        '<blockquote type="cite">',
        '<div id="divRplyFwdMsg">',
        '<span id="OLK_SRC_BODY_SECTION">',
        '<div class="yahoo_quoted">',
        "</div>",
        "</blockquote>",
        "<br>",
        "<p>",
        "</p>",
        "Where is my order?",
        "On Mon, 23 Nov 2026 Shop &lt;s@shop.example&gt; wrote:",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(HTML_PIECES, st.text(max_size=40)), max_size=25).map("".join))
def test_html_reading_never_raises(page: str) -> None:
    assert isinstance(visible_reply(html_to_text(page)), str)
