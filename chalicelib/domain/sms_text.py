"""SMS text: keep replies in GSM-7 where the content allows, split long ones at sensible places."""

from __future__ import annotations

import re

# The GSM 03.38 default alphabet and its extension table (an extension character costs two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

# Typography that LLMs and helpdesk editors love, and that would turn a whole reply into UCS-2.
GSM7_LOOKALIKES = {
    "\u2018": "'",  # left single quote
    "\u2019": "'",  # right single quote / apostrophe
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",  # prime
    "\u00b4": "'",  # acute accent
    "\u201c": '"',  # left double quote
    "\u201d": '"',  # right double quote
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',  # double prime
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",
    "\u2212": "-",  # minus sign
    "\u2026": "...",  # ellipsis
    "\u2022": "-",  # bullet
    "\u00a0": " ",  # no-break space
    "\u2002": " ",
    "\u2003": " ",
    "\u2007": " ",
    "\u2009": " ",  # thin space
    "\u200a": " ",
    "\u202f": " ",  # narrow no-break space
    "\u200b": "",  # zero-width space
    "\u2060": "",  # word joiner
    "\ufeff": "",  # byte-order mark
    "\t": " ",
}
_LOOKALIKE_TABLE = str.maketrans(GSM7_LOOKALIKES)

PART_LIMIT = 320  # Twilio recommends at most 320 characters per message
TOTAL_LIMIT = 1600  # Twilio refuses longer bodies
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")
_WHITESPACE = re.compile(r"\s")


def is_gsm7(text: str) -> bool:
    """True when every character of `text` has a GSM-7 encoding."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


def to_gsm7(text: str) -> str:
    """`text` with typographic look-alikes replaced, when that makes it GSM-7; else unchanged."""
    plain = text.translate(_LOOKALIKE_TABLE)
    return plain if is_gsm7(plain) else text


def segment_count(text: str) -> int:
    """How many segments a carrier bills for `text` (GSM-7 160/153, UCS-2 70/67)."""
    if is_gsm7(text):
        units = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
        single, multi = 160, 153
    else:
        units = sum(2 if ord(char) > 0xFFFF else 1 for char in text)  # UTF-16 code units
        single, multi = 70, 67
    return 1 if units <= single else -(-units // multi)


def truncate(text: str, limit: int = TOTAL_LIMIT) -> str:
    """`text` cut to at most `limit` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    ellipsis = "..." if is_gsm7(text) else "…"
    head = text[: limit - len(ellipsis)]
    space = head.rfind(" ")
    if space > limit * 0.8:
        head = head[:space]
    return head.rstrip() + ellipsis


def split_sms(text: str, part_limit: int = PART_LIMIT, total_limit: int = TOTAL_LIMIT) -> list[str]:
    """The reply as SMS parts of at most `part_limit` characters, cut at sentences or words."""
    rest = truncate(to_gsm7(text).strip(), total_limit)
    parts: list[str] = []
    while len(rest) > part_limit:
        cut = _cut_point(rest, part_limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _cut_point(text: str, limit: int) -> int:
    """Where to end the next part: after a sentence, else at a space, else at the limit."""
    window = text[: limit + 1]
    sentence_ends = [match.end() for match in _SENTENCE_END.finditer(window)]
    sentence_ends = [end for end in sentence_ends if limit // 2 < end <= limit]
    if sentence_ends:
        return sentence_ends[-1]
    spaces = [match.start() for match in _WHITESPACE.finditer(window)]
    spaces = [start for start in spaces if start > 0]
    return spaces[-1] if spaces else limit
