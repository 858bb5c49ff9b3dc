"""Threaded email replies: raw MIME built with EmailMessage, sent with SES v2 SendEmail."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from chalicelib.channels.email.msgid_headers import MAIL_POLICY
from chalicelib.domain.errors import PermanentSendError, TransientError
from chalicelib.domain.messages import OutboundMessage, SendResult

REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|antw)\s*:\s*)+", re.IGNORECASE)
THROTTLING_CODES = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "LimitExceededException"}
)
DEFAULT_SUBJECT = "Your message"


@dataclass(frozen=True)
class ReplyThread:
    """What the customer's last mail says about the thread our reply continues."""

    subject: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> ReplyThread:
        """The thread from an OutboundMessage's meta (subject, in_reply_to, references)."""
        references = meta.get("references") or []
        return cls(
            subject=str(meta.get("subject") or ""),
            in_reply_to=str(meta.get("in_reply_to") or ""),
            references=[str(ref) for ref in references],
        )


def reply_subject(subject: str) -> str:
    """'Re: <subject>' with exactly one Re: whatever the customer's client put there."""
    bare = REPLY_PREFIX.sub("", one_line(subject)).strip()
    return f"Re: {bare or DEFAULT_SUBJECT}"


def one_line(text: str) -> str:
    """Text with every run of whitespace (line breaks too) as one space: safe in a header."""
    return " ".join(text.split())


def thread_references(thread: ReplyThread) -> list[str]:
    """The References of our reply: the customer's References, then the mail we answer."""
    references = list(thread.references)
    if thread.in_reply_to and thread.in_reply_to not in references:
        references.append(thread.in_reply_to)
    return references


def compose_reply(
    *, sender: str, recipient: str, text: str, thread: ReplyThread, signature: str = ""
) -> EmailMessage:
    """The MIME reply: text and a simple escaped HTML part, threaded under the customer's mail."""
    body = signed(text, signature)
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = reply_subject(thread.subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if thread.in_reply_to:
        message["In-Reply-To"] = thread.in_reply_to
    references = thread_references(thread)
    if references:
        message["References"] = " ".join(references)
    message.set_content(body)
    message.add_alternative(html_body(body), subtype="html")
    return message


def signed(text: str, signature: str) -> str:
    """`text` with the signature under a `-- ` delimiter, unless a line of it already is the signature.

    A store's follow-up template may sign itself (above its unsubscribe line): sign once.
    """
    signature = signature.strip()
    if not signature or signature in (line.strip() for line in text.splitlines()):
        return text
    return f"{text.rstrip()}\n\n-- \n{signature}\n"


def html_body(text: str) -> str:
    """Plain text as a minimal HTML document: escaped, paragraphs and line breaks kept."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    rendered = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f'<!DOCTYPE html><html><body style="font-family:sans-serif">{rendered}</body></html>'


class EmailSender:
    """Sends OutboundMessages on the email channel through an injected boto3 sesv2 client."""

    def __init__(self, client: Any, *, sender: str, region: str, signature: str = "") -> None:
        self.client = client
        self.sender = sender
        self.region = region
        self.signature = signature

    def send(self, message: OutboundMessage) -> SendResult:
        """Sends the reply; provider_id is the Message-ID SES gives it, for threading."""
        mime = compose_reply(
            sender=self.sender,
            recipient=message.recipient,
            text=message.text,
            thread=ReplyThread.from_meta(message.meta),
            signature=self.signature,
        )
        proactive_headers(mime, message.meta)
        answer = self.send_raw(mime.as_bytes())
        return SendResult(provider_id=f"<{answer['MessageId']}@{self.region}.amazonses.com>")

    def send_raw(self, raw: bytes) -> dict[str, Any]:
        """One SendEmail call; SES errors become TransientError or PermanentSendError."""
        from botocore.exceptions import ClientError

        try:
            answer = self.client.send_email(
                FromEmailAddress=self.sender, Content={"Raw": {"Data": raw}}
            )
            return dict(answer)
        except ClientError as error:
            raise send_error(error.response) from error


def proactive_headers(mime: EmailMessage, meta: dict[str, Any]) -> None:
    """A follow-up is not a reply: its own subject, no threading; and one-click unsubscribe."""
    if meta.get("proactive"):
        for name in ("Subject", "In-Reply-To", "References"):
            del mime[name]
        mime["Subject"] = one_line(str(meta.get("subject") or "")) or DEFAULT_SUBJECT
    if meta.get("list_unsubscribe"):
        # A long URL has no space to fold at: keep it on one line, not RFC 2047-encoded.
        mime.policy = mime.policy.clone(max_line_length=998)
        mime["List-Unsubscribe"] = f"<{meta['list_unsubscribe']}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def send_error(response: dict[str, Any]) -> TransientError | PermanentSendError:
    """Throttling and 5xx are worth retrying through the queue; anything else is final."""
    code = str(response.get("Error", {}).get("Code", ""))
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if code in THROTTLING_CODES or status >= 500 or status == 429:
        return TransientError(f"SES send failed ({code}), retry later")
    return PermanentSendError(f"SES refused the send ({code})", provider_code=code)
