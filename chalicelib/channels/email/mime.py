"""A raw MIME email as headers, readable text and a list of attachments; never raises."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import Message

from chalicelib.channels.email.html import html_to_text
from chalicelib.domain.messages import Attachment

# Decode as mail clients do: labels that senders misuse map to their supersets (WHATWG).
CHARSET_SUPERSETS = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
}

Headers = dict[str, list[str]]


@dataclass(frozen=True)
class MailContent:
    """What a MIME email says: decoded headers (lowercase names), body text, attachments."""

    headers: Headers
    text: str
    from_html: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    content_types: frozenset[str] = frozenset()
    raw_headers: Headers = field(default_factory=dict)


def read_mail(raw: bytes) -> MailContent:
    """Parses raw MIME bytes; malformed input gives whatever could be read, never an error."""
    try:
        message = message_from_bytes(raw, policy=policy.default)
        return content_of(message)
    except Exception:  # the parser has rare crashes on hostile input; keep the text anyway
        return MailContent(headers={}, text=raw.decode("utf-8", errors="replace"))


def content_of(message: Message) -> MailContent:
    """Headers, the preferred body and the attachments of a parsed message."""
    leaves = list(iter_leaves(message))
    bodies = [part for part in leaves if not is_attachment(part)]
    plain = [part_text(part) for part in bodies if part.get_content_type() == "text/plain"]
    html = [part_text(part) for part in bodies if part.get_content_type() == "text/html"]
    text = "\n".join(plain) if plain else "\n".join(html_to_text(body) for body in html)
    return MailContent(
        headers=headers_of(message),
        text=text,
        from_html=not plain and bool(html),
        attachments=[attachment_of(part) for part in leaves if is_attachment(part)],
        content_types=frozenset(part.get_content_type() for part in message.walk()),
        raw_headers=raw_headers_of(message),
    )


def iter_leaves(part: Message) -> Iterator[Message]:
    """The non-multipart parts in order; an attached email is one leaf, not descended into."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from iter_leaves(sub)
    else:
        yield part


def is_attachment(part: Message) -> bool:
    """A part to list, not to read: a declared attachment, a named file or a non-text part."""
    if part.get_content_disposition() == "attachment" or filename_of(part):
        return True
    return part.get_content_maintype() != "text"


def attachment_of(part: Message) -> Attachment:
    """Name, type and size of an attachment; its content is not kept."""
    payload = part.get_payload(decode=True)
    size = len(payload) if isinstance(payload, bytes) else len(str(part.get_payload()))
    return Attachment(content_type=part.get_content_type(), name=filename_of(part), size=size)


def filename_of(part: Message) -> str | None:
    """The attachment's file name, decoded, if it has one."""
    try:
        return part.get_filename()
    except Exception:  # a malformed RFC 2231 name must not lose the mail
        return None


def part_text(part: Message) -> str:
    """A text part decoded from its transfer encoding and charset, bad bytes replaced."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    return decode_bytes(payload, part.get_content_charset())


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Bytes as text in the declared charset (or its superset); unknown charsets fall to UTF-8."""
    name = (charset or "utf-8").strip().lower()
    name = CHARSET_SUPERSETS.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        name = "utf-8"
    return payload.decode(name, errors="replace")


def headers_of(message: Message) -> Headers:
    """Every header, decoded, by lowercase name."""
    headers: Headers = {}
    for name, raw in message.raw_items():
        headers.setdefault(name.lower(), []).append(decode_value(raw))
    return headers


def raw_headers_of(message: Message) -> Headers:
    """Every header as it came (undecoded, still folded), by lowercase name: what grammars parse."""
    headers: Headers = {}
    for name, raw in message.raw_items():
        headers.setdefault(name.lower(), []).append(str(raw))
    return headers


def decode_value(raw: object) -> str:
    """A raw header value with encoded words decoded and folding removed."""
    text = str(raw)
    try:
        return " ".join(str(make_header(decode_header(text))).split())
    except Exception:  # undecodable encoded words: keep them as they came
        return " ".join(text.split())


def first_header(headers: Headers, name: str) -> str:
    """The first value of a header, or an empty string."""
    return next(iter(headers.get(name.lower(), [])), "")
