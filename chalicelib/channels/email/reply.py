"""What the customer just wrote in an email: quoted history, signatures and mobile footers removed.

Every line of the result is a line of the body, or the start of one (a header sharing a line with
the reply: "Thanks--- On ... wrote:"), in the body's order. When unsure, the text is kept.
"""

from __future__ import annotations

import re
from itertools import groupby

from chalicelib.channels.email.headers import is_device_footer, is_reply_header
from chalicelib.channels.email.history import (
    header_start,
    history_start,
    is_quoted,
    mid_sentence,
    next_text_is_quoted,
)

# A signature delimiter: "-- " (RFC 3676), a dash alone, or an underscore rule (mailing-list
# footers). A rule of three dashes or more is a table rule, not a cut.
SIGNATURE = re.compile(r"--|\u2014|\u2013|_{2,}")  # "--", an em or en dash alone, "__..."
SHARED_LINE = re.compile(r"^(.*?[^\W_])\s*-{2,}\s*(\S.*)$")
# A short signed name right under the text: "-Abhishek Kona".
DASH_NAME = re.compile(r"-[A-Z][\w.'-]*( [A-Z][\w.'-]*){0,3}")
WRAP_WIDTH = 60
SHARED_MAX_CHARS = 400


def visible_reply(body: str) -> str:
    """The part of a plain-text email body the customer just wrote."""
    lines = split_lines(body)
    lines = lines[: history_start(lines)]
    kept = squeeze_quotes(drop_quotes(lines))
    kept = kept[: signature_start(kept)]
    return "\n".join(drop_signed_name(kept)).strip("\n")


def split_lines(body: str) -> list[str]:
    """The body's lines, right-stripped; a reply and a header sharing a line become two lines."""
    raw = [line.rstrip() for line in body.splitlines()]
    lines: list[str] = []
    for index, line in enumerate(raw):
        shared = (
            len(line) < SHARED_MAX_CHARS and "--" in line and next_text_is_quoted(raw, index + 1)
        )
        lines.extend(split_shared_line(line) if shared else [line])
    return lines


def split_shared_line(line: str) -> list[str]:
    """'Thanks--- On ... wrote:' as ['Thanks', 'On ... wrote:']; any other line unchanged.

    Split only above quoted lines, where the header part is then dropped with the quote.
    """
    match = SHARED_LINE.match(line)
    if not match or is_quoted(line) or not is_reply_header(match.group(2), strict=False):
        return [line]
    parts = [match.group(1), match.group(2)]
    return [line] if mid_sentence(parts, 1) else parts


def drop_quotes(lines: list[str]) -> list[str | None]:
    """Lines with quoted ones, wrapped quote lines and headers over quotes replaced by None.

    Headers that would leave nothing of the customer's are kept: the reply is never emptied by one.
    """
    marked: list[str | None] = list(lines)
    headers: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        start = header_start(lines, index, strict=False) if line else None
        if start is not None and next_text_is_quoted(lines, index + 1):
            headers.append((start, index + 1))
        elif is_quoted(line) or is_quote_continuation(lines, index):
            marked[index] = None
    without_headers = list(marked)
    for start, end in headers:
        without_headers[start:end] = [None] * (end - start)
    if any(line and line.strip() for line in without_headers):
        return without_headers
    return marked


def is_quote_continuation(lines: list[str], index: int) -> bool:
    """An unquoted line between quoted ones that a wrapped quote line spilled."""
    if not 0 < index < len(lines) - 1 or not lines[index].strip():
        return False
    above, below = lines[index - 1], lines[index + 1]
    if not (is_quoted(above) and is_quoted(below)):
        return False
    text = lines[index].strip()
    wrapped = len(above.strip()) >= WRAP_WIDTH and text[:1].islower()
    return wrapped or text.endswith(" >")


def squeeze_quotes(marked: list[str | None]) -> list[str]:
    """Each run of removed quotes and the blank lines around it becomes one blank line."""
    kept: list[str] = []
    for blank_or_quote, group in groupby(marked, key=lambda line: not line):
        run = list(group)
        if not blank_or_quote:
            kept.extend(line for line in run if line)
        elif None in run:
            kept.append("")
        else:
            kept.extend("" for _ in run)
    return kept


def signature_start(lines: list[str]) -> int:
    """Index of the first signature delimiter or device footer, after some text."""
    seen_text = False
    for index, line in enumerate(lines):
        text = line.strip()
        if seen_text and (SIGNATURE.fullmatch(text) or is_device_footer(text)):
            return index
        seen_text = seen_text or bool(text)
    return len(lines)


def drop_signed_name(lines: list[str]) -> list[str]:
    """Without a trailing '-Name' line set apart by a blank line."""
    text = [line for line in lines if line.strip()]
    if len(text) < 2 or not DASH_NAME.fullmatch(text[-1].strip()):
        return lines
    last = max(index for index, line in enumerate(lines) if line.strip())
    return lines[:last] if last and not lines[last - 1].strip() else lines
