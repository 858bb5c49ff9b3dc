"""What the customer just wrote in an email: quoted history, signatures and mobile footers removed."""

from __future__ import annotations

import re
from itertools import groupby

# Words that open a reply header ("On ... wrote:", "Le ... a écrit :", "Am ... schrieb ...:").
HEADER_OPENERS = frozenset({"On", "Le", "Am", "El", "Op", "Il", "Em", "Den", "På", "W"})
HEADER_VERBS = (
    "wrote",
    "écrit",
    "schrieb",
    "escribió",
    "schreef",
    "geschreven",
    "scritto",
    "escreveu",
    "skrev",
    "napisał",
)
HEADER_MAX_LINES = 3
HEADER_MAX_CHARS = 400
ADDRESSED_HEADER = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")

ORIGINAL_MESSAGE = re.compile(
    r"-{3,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original"
    r"|oorspronkelijk bericht|messaggio originale)\s*-{3,}",
    re.IGNORECASE,
)
# Outlook puts the history unquoted under "From: ... / Sent: ..." (bold in HTML: "*From:*").
OUTLOOK_FROM = re.compile(r"\*?(from|von|de|van|da)\s?:\*?\s", re.IGNORECASE)
OUTLOOK_SENT = re.compile(
    r"\*?(sent|date|gesendet|datum|envoyé|enviado|verzonden|inviato)\s?:\*?\s", re.IGNORECASE
)
SEPARATOR = re.compile(r"(-{2,}|_{2,})")
MOBILE_FOOTER = re.compile(
    r"(sent from my \S+( \S+){0,3}|sent from (yahoo )?mail( for \S+)?|get outlook for \S+"
    r"|envoyé de mon \S+( \S+)?|von meinem \S+( \S+)? gesendet|enviado desde mi \S+( \S+)?"
    r"|verstuurd vanaf mijn \S+( \S+)?)",
    re.IGNORECASE,
)
# A short signed name right under the text: "-Abhishek Kona".
DASH_NAME = re.compile(r"-[A-Z][\w.'-]*( [A-Z][\w.'-]*){0,3}")


def visible_reply(body: str) -> str:
    """The part of a plain-text email body the customer just wrote."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = lines[: history_start(lines)]
    kept = squeeze_quotes(drop_quotes(lines))
    kept = kept[: signature_start(kept)]
    return "\n".join(drop_signed_name(kept)).strip("\n")


def is_quoted(line: str) -> bool:
    """A line of quoted history (">" prefix)."""
    return line.lstrip().startswith(">")


def header_length(lines: list[str], start: int) -> int:
    """Number of lines of a reply header starting at `start` ("On ... wrote:"), else 0."""
    opener = lines[start].strip().split(" ", 1)[0] in HEADER_OPENERS
    for size, line in enumerate(lines[start : start + HEADER_MAX_LINES], start=1):
        text = line.strip()
        if not text or len(text) > HEADER_MAX_CHARS:
            return 0
        if opener and is_header_end(text):
            return size
        if size <= 2 and is_addressed_header_end(lines, start, size):
            return size
    return 0


def is_header_end(line: str) -> bool:
    """The last line of a reply header: ends with ':' and names the verb of writing."""
    return line.endswith(":") and any(verb in line.lower() for verb in HEADER_VERBS)


def is_addressed_header_end(lines: list[str], start: int, size: int) -> bool:
    """Any language: '<date> <name> <address>:' (ASCII or fullwidth ':') right above quoted lines."""
    window = " ".join(line.strip() for line in lines[start : start + size])
    return bool(
        ADDRESSED_HEADER.search(window)
        and window.endswith((":", "\uff1a"))
        and next_text_is_quoted(lines, start + size)
        and start + size < len(lines)
    )


def is_outlook_block(lines: list[str], index: int) -> bool:
    """An Outlook history block starts here: an 'Original Message' rule or 'From:' then 'Sent:'."""
    line = lines[index].strip()
    if ORIGINAL_MESSAGE.fullmatch(line):
        return True
    if not OUTLOOK_FROM.match(line):
        return False
    return any(OUTLOOK_SENT.match(nxt.strip()) for nxt in lines[index + 1 : index + 4])


def history_start(lines: list[str]) -> int:
    """Index where unquoted history begins (Outlook block, or a header over unquoted text)."""
    for index, line in enumerate(lines):
        if is_outlook_block(lines, index):
            return index
        size = header_length(lines, index) if line else 0
        if size and not next_text_is_quoted(lines, index + size):
            return index
    return len(lines)


def next_text_is_quoted(lines: list[str], start: int) -> bool:
    """The first non-blank line from `start` is quoted (or there is none)."""
    for index in range(start, len(lines)):  # by index: no copy of the rest on each call
        if lines[index].strip():
            return is_quoted(lines[index])
    return True


def drop_quotes(lines: list[str]) -> list[str | None]:
    """Lines with quoted ones and reply headers replaced by None."""
    marked: list[str | None] = list(lines)
    index = 0
    while index < len(lines):
        size = header_length(lines, index) if lines[index] else 0
        for offset in range(max(size, 1)):
            if size or is_quoted(lines[index + offset]):
                marked[index + offset] = None
        index += max(size, 1)
    return marked


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
    """Index of the first signature delimiter or mobile footer, after some text."""
    for index, line in enumerate(lines):
        text = line.strip()
        if index and (SEPARATOR.fullmatch(text) or MOBILE_FOOTER.fullmatch(text)):
            return index
    return len(lines)


def drop_signed_name(lines: list[str]) -> list[str]:
    """Without a trailing '-Name' line set apart by a blank line."""
    text = [line for line in lines if line.strip()]
    if len(text) < 2 or not DASH_NAME.fullmatch(text[-1].strip()):
        return lines
    last = max(index for index, line in enumerate(lines) if line.strip())
    return lines[:last] if last and not lines[last - 1].strip() else lines
