"""Where the history of a plain-text reply begins: reply headers, Outlook blocks, separators.

Lines are the body's lines, right-stripped. A header over quoted lines goes with the quote; over
unquoted text it cuts the rest, so there it must be sure (strict grammar) and leave some of the
customer's words above it.
"""

from __future__ import annotations

import re

from chalicelib.channels.email.headers import (
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
RULE = re.compile(r"[-_=—]{3,}|-{3,}\s*\S.*")
SENTENCE_WORDS = 4
DAY_WORDS = frozenset(word for word in MONTHS | WEEKDAYS if len(word) > 3)


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


def customer_lines(lines: list[str]) -> list[bool]:
    """Which lines hold the customer's own words (not quotes, blanks, rules or device footers)."""
    return [
        bool(line.strip())
        and not is_quoted(line)
        and not RULE.fullmatch(line.strip())
        and not is_device_footer(line)
        for line in lines
    ]


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


def could_end_header(line: str) -> bool:
    """Cheap test: the line ends as a header ends (':', '>', a frame, or a verb of writing)."""
    text = line.rstrip(" -*=_")
    if not text:
        return False
    if text[-1] in ":\uff1a>":
        return True
    words = words_of(text[-24:])
    return bool(words) and words[-1] in WRITING_VERBS


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

    A greeting alone ('Hello', 'Thanks') above a lowercase header (Russian 'ср, 30 апр.') is none.
    """
    if start == 0 or not lines[start - 1].strip() or is_quoted(lines[start - 1]):
        return False
    above, first = lines[start - 1].rstrip(), lines[start].lstrip()[:1]
    runs_on = (above[-1].isalnum() or above[-1] in ",;") and len(above.split()) >= SENTENCE_WORDS
    return runs_on and first.islower()


def is_quoted(line: str) -> bool:
    """A line of quoted history ("> " prefix); a '>>> banner <<<' is not one."""
    text = line.strip()
    return text.startswith(">") and not text.endswith("<")


def next_text_is_quoted(lines: list[str], start: int) -> bool:
    """The first non-blank line from `start` is quoted (or there is none)."""
    for index in range(start, len(lines)):  # by index: no copy of the rest on each call
        if lines[index].strip():
            return is_quoted(lines[index])
    return True
