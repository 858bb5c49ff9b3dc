"""What the customer just wrote in an email: quoted history, signatures and mobile footers removed.

Every line of the result is a line of the body, or the start of one (a header sharing a line with
the reply: "Thanks--- On ... wrote:"), in the body's order. When unsure, the text is kept.
"""

from __future__ import annotations

import re
from itertools import groupby

from chalicelib.channels.email_headers import (
    FIELD,
    MONTHS,
    WEEKDAYS,
    WRITING_VERBS,
    field_kind,
    has_date,
    is_device_footer,
    is_forward_marker,
    is_framed_separator,
    is_reply_header,
    words_of,
)

HEADER_MAX_LINES = 6
HEADER_MAX_CHARS = 640  # a window's raw length; the grammar allows 320 once spaces are squeezed
FIELD_BLOCK_LINES = 8
# A signature delimiter: "-- " (RFC 3676), a dash alone, or an underscore rule (mailing-list
# footers). A rule of three dashes or more is a table rule, not a cut.
SIGNATURE = re.compile(r"--|\u2014|\u2013|_{2,}")  # "--", an em or en dash alone, "__..."
RULE = re.compile(r"[-_=—]{3,}|-{3,}\s*\S.*")
SHARED_LINE = re.compile(r"^(.*?[^\W_])\s*-{2,}\s*(\S.*)$")
# A short signed name right under the text: "-Abhishek Kona".
DASH_NAME = re.compile(r"-[A-Z][\w.'-]*( [A-Z][\w.'-]*){0,3}")
WRAP_WIDTH = 60
SENTENCE_WORDS = 4
DAY_WORDS = frozenset(word for word in MONTHS | WEEKDAYS if len(word) > 3)
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
            "--" in line and len(line) < SHARED_MAX_CHARS and next_text_is_quoted(raw, index + 1)
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


def is_quoted(line: str) -> bool:
    """A line of quoted history ("> " prefix); a '>>> banner <<<' is not one."""
    text = line.strip()
    return text.startswith(">") and not text.endswith("<")


def could_end_header(line: str) -> bool:
    """Cheap test: the line ends as a header ends (':', '>', a frame, or a verb of writing)."""
    text = line.rstrip(" -*=_")
    if not text:
        return False
    if text[-1] in ":\uff1a>":
        return True
    words = words_of(text[-24:])
    return bool(words) and words[-1] in WRITING_VERBS


def header_start(lines: list[str], end: int, *, strict: bool) -> int | None:
    """Start of the shortest reply header ending at line `end` (wrapped or not), else None."""
    if not could_end_header(lines[end]):
        return None
    blanks = size = 0
    for start in range(end, max(-1, end - HEADER_MAX_LINES), -1):
        size += len(lines[start])
        if size > HEADER_MAX_CHARS:
            return None
        if not lines[start].strip():
            blanks += 1
            if blanks > 1:
                return None
            continue
        if is_quoted(lines[start]) or not brackets_explain_quotes(lines, start, end):
            continue
        window = " ".join(lines[start : end + 1])
        if is_reply_header(window, strict=strict) and not mid_sentence(lines, start):
            return start
    return None


def brackets_explain_quotes(lines: list[str], start: int, end: int) -> bool:
    """Every '>'-led line after `start` closes an address opened above it ('<x@y.com\n>:')."""
    for index in range(start + 1, end + 1):
        if is_quoted(lines[index]):
            above = " ".join(lines[start:index])
            if above.count("<") <= above.count(">"):
                return False
    return True


def mid_sentence(lines: list[str], start: int) -> bool:
    """The block continues a sentence above: a line of some words runs on, the block starts lowercase.

    A greeting alone ('Hello', 'Thanks') above a lowercase header ('ср, 30 апр. ...') is no sentence.
    """
    if start == 0 or not lines[start - 1].strip() or is_quoted(lines[start - 1]):
        return False
    above, first = lines[start - 1].rstrip(), lines[start].lstrip()[:1]
    runs_on = (above[-1].isalnum() or above[-1] in ",;") and len(above.split()) >= SENTENCE_WORDS
    return runs_on and first.islower()


def customer_lines(lines: list[str]) -> list[bool]:
    """Which lines hold the customer's own words (not quotes, blanks, rules or device footers)."""
    return [
        bool(line.strip())
        and not is_quoted(line)
        and not RULE.fullmatch(line.strip())
        and not is_device_footer(line)
        for line in lines
    ]


def history_start(lines: list[str]) -> int:
    """Index where unquoted history begins (Outlook block, separator, header over unquoted text).

    A candidate with none of the customer's words above it is no cut: the reply would be empty.
    A forward is no cut either: the forwarded mail is what the customer wants us to read.
    """
    own = customer_lines(lines)
    first_own = next((index for index, mine in enumerate(own) if mine), len(lines))
    for index in range(first_own + 1, len(lines)):
        cut = history_cut(lines, index)
        if cut is not None:
            forward = any(is_forward_marker(line) for line in lines[cut : index + 1])
            return cut if any(own[:cut]) and not forward else len(lines)
    return len(lines)


def history_cut(lines: list[str], index: int) -> int | None:
    """Where the history starts if line `index` is a separator, a field block or a header's end."""
    if not lines[index].strip():
        return None
    unquoted = not is_quoted(lines[index])
    if unquoted and (is_framed_separator(lines[index]) or is_field_block(lines, index)):
        return cut_point(lines, index)
    start = header_start(lines, index, strict=True)
    if start is not None and not next_text_is_quoted(lines, index + 1):
        return cut_point(lines, start)
    return None


def is_field_block(lines: list[str], index: int) -> bool:
    """Outlook's unquoted 'From: / Sent: / To: / Subject:' block (any language) starts here.

    Two fields or more, one of them a dated 'Sent:' or a 'Subject:', as every client writes them.
    """
    if field_kind(lines[index]) not in ("from", "date"):
        return False
    kinds: set[str] = set()
    loose = 0
    for line in lines[index : index + FIELD_BLOCK_LINES]:
        kind = field_kind(line)
        if kind == "date" and not names_a_day(line):
            return False
        if kind:
            kinds.add(kind)
        elif not line.strip() or is_quoted(line) or (loose := loose + 1) > 2:
            break
    return len(kinds) >= 2 and bool(kinds & {"date", "subject"})


def names_a_day(line: str) -> bool:
    """A 'Sent:' value: a date, or at least a weekday or month name ('Sent: Monday')."""
    return has_date(line) or any(word in DAY_WORDS for word in words_of(line))


def cut_point(lines: list[str], index: int) -> int:
    """The cut moved above what introduces the block: blanks, rules, a dated 'Message du : <date>'."""
    while index > 0 and introduces_history(lines[index - 1]):
        index -= 1
    return index


def introduces_history(line: str) -> bool:
    """A blank line, a rule ('____', '-----Original-----'), a forward line, a 'Key : <date>' line."""
    text = line.strip()
    if not text or RULE.fullmatch(text) or is_forward_marker(text):
        return True
    match = FIELD.match(text)
    return bool(match and has_date(match.group(2)) and len(text) < 80)


def next_text_is_quoted(lines: list[str], start: int) -> bool:
    """The first non-blank line from `start` is quoted (or there is none)."""
    for index in range(start, len(lines)):  # by index: no copy of the rest on each call
        if lines[index].strip():
            return is_quoted(lines[index])
    return True


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
