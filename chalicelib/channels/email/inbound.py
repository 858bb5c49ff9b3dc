"""SES receipt notifications (through SNS and SQS) as InboundMessages, or dropped with a reason."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import getaddresses, parseaddr
from typing import Any

from chalicelib.channels.email.identity import MailAuth, SenderIdentity, dkim_domains
from chalicelib.channels.email.identity import sender_identity as identity_of
from chalicelib.channels.email.mime import MailContent, first_header, read_mail
from chalicelib.channels.email.reply import visible_reply
from chalicelib.channels.email.screening import drop_reason
from chalicelib.domain.errors import BadRequestError, TransientError
from chalicelib.domain.messages import Channel, InboundMessage, utcnow

FetchS3 = Callable[[str, str], bytes]
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
REPLY_ADDRESS = re.compile(r"^reply\+([A-Za-z0-9._=-]+)@", re.IGNORECASE)
# A DynamoDB item holds 400 KB: the full text kept on the message is capped (S3 keeps it all).
MAX_STORED_TEXT = 50_000


@dataclass(frozen=True)
class SesNotification:
    """An SES 'Received' notification: the mail metadata, the receipt verdicts, the content."""

    mail: dict[str, Any]
    receipt: dict[str, Any]
    content: str | None = None

    @property
    def message_id(self) -> str:
        """SES's id of the received mail (the dedupe key)."""
        return str(self.mail.get("messageId", ""))

    def verdict(self, name: str) -> str:
        """A receipt verdict (spam, virus, spf, dkim, dmarc): PASS, FAIL, GRAY, ..."""
        return str((self.receipt.get(f"{name}Verdict") or {}).get("status", "")).upper()


@dataclass(frozen=True)
class Dropped:
    """A received mail we record but never answer (spam, auto-reply, bounce, our own mail)."""

    reason: str
    external_id: str
    sender: str
    subject: str = ""


def parse_notification(body: str) -> SesNotification | None:
    """The SES notification in an SQS body (SNS envelope or raw delivery); None if not a mail."""
    try:
        document = json.loads(body)
        if isinstance(document, dict) and isinstance(document.get("Message"), str):
            document = json.loads(document["Message"])
    except json.JSONDecodeError as error:
        raise BadRequestError(f"not an SES notification: {error}", field="body") from error
    if not isinstance(document, dict) or document.get("notificationType") != "Received":
        return None
    return SesNotification(
        mail=document.get("mail") or {},
        receipt=document.get("receipt") or {},
        content=document.get("content"),
    )


def raw_mail(notification: SesNotification, fetch_s3: FetchS3 | None) -> bytes:
    """The raw MIME bytes: inline (base64 or UTF-8) or from the bucket of the S3 action."""
    action = notification.receipt.get("action") or {}
    if notification.content is not None:
        if str(action.get("encoding", "")).upper() == "BASE64":
            return base64.b64decode(notification.content)
        return notification.content.encode("utf-8")
    if action.get("type") == "S3" and fetch_s3 is not None:
        return fetch_s3(str(action["bucketName"]), str(action["objectKey"]))
    raise BadRequestError(f"mail {notification.message_id} has no content", field="content")


def read_inbound_email(
    body: str, *, own_address: str, fetch_s3: FetchS3 | None = None
) -> InboundMessage | Dropped | None:
    """An SQS body from the inbound-email queue as a customer message, a drop, or None."""
    notification = parse_notification(body)
    if notification is None:
        return None
    mail = read_mail(raw_mail(notification, fetch_s3))
    sender = sender_identity(notification, mail)
    reason = drop_reason(notification.verdict, mail, sender.address, normalize_address(own_address))
    if reason:
        subject = first_header(mail.headers, "subject")
        return Dropped(reason, notification.message_id, sender.address, subject)
    return inbound_message(notification, mail, sender)


def inbound_message(
    notification: SesNotification, mail: MailContent, sender: SenderIdentity
) -> InboundMessage:
    """The customer's message: visible reply text, identity, attachments and threading data."""
    visible = visible_reply(mail.text)
    subject = first_header(mail.headers, "subject") or str(common(notification, "subject", ""))
    return InboundMessage(
        channel=Channel.EMAIL,
        source="ses",
        external_id=notification.message_id,
        sender=sender.address,
        text=visible or mail.text.strip() or subject,
        received_at=received_at(notification),
        verified=sender.verified,
        attachments=mail.attachments,
        meta={"subject": subject, **threading_of(notification, mail), **original_of(mail)},
    )


def sender_identity(notification: SesNotification, mail: MailContent) -> SenderIdentity:
    """The raw From header's address, verified only when SES authenticated its domain."""
    auth = MailAuth(
        verdict=notification.verdict,
        envelope_sender=str(notification.mail.get("source", "")),
        dkim_domains=dkim_domains(mail.raw_headers.get("dkim-signature", [])),
    )
    return identity_of(mail.raw_headers.get("from", []), auth)


def normalize_address(address: str) -> str:
    """'Ava <Ava@Example.com>' -> 'ava@example.com'."""
    return parseaddr(address)[1].strip().lower()


def threading_of(notification: SesNotification, mail: MailContent) -> dict[str, Any]:
    """Message-ID, In-Reply-To, References and a reply+<conversation>@ recipient, if any."""
    in_reply_to = MESSAGE_ID.findall(first_header(mail.headers, "in-reply-to"))
    return {
        "message_id": next(iter(MESSAGE_ID.findall(first_header(mail.headers, "message-id"))), ""),
        "in_reply_to": next(iter(in_reply_to), ""),
        "references": MESSAGE_ID.findall(" ".join(mail.headers.get("references", []))),
        "reply_to_conversation": reply_conversation(notification, mail),
    }


def reply_conversation(notification: SesNotification, mail: MailContent) -> str:
    """The conversation named by a reply+<conversation>@ recipient, or ''."""
    recipients = [str(r) for r in notification.receipt.get("recipients") or []]
    recipients += [addr for _, addr in getaddresses(mail.headers.get("to", []))]
    for recipient in recipients:
        match = REPLY_ADDRESS.match(recipient.strip())
        if match:
            return match.group(1)
    return ""


def original_of(mail: MailContent) -> dict[str, Any]:
    """The full original text (capped) and how it was read."""
    return {
        "full_text": mail.text[:MAX_STORED_TEXT],
        "full_text_truncated": len(mail.text) > MAX_STORED_TEXT,
        "from_html": mail.from_html,
    }


def common(notification: SesNotification, name: str, default: Any) -> Any:
    """A field of SES's commonHeaders, or the default."""
    return (notification.mail.get("commonHeaders") or {}).get(name) or default


def received_at(notification: SesNotification) -> datetime:
    """When SES received the mail (now, if the timestamp is missing or unreadable)."""
    try:
        return datetime.fromisoformat(str(notification.mail["timestamp"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return utcnow()


def s3_mail_fetcher(s3_client: Any) -> FetchS3:
    """A FetchS3 reading the SES S3 action's object with a boto3 S3 client."""
    from botocore.exceptions import ClientError

    def fetch(bucket: str, key: str) -> bytes:
        try:
            return bytes(s3_client.get_object(Bucket=bucket, Key=key)["Body"].read())
        except ClientError as error:  # retried through the queue: mail must never be lost
            raise TransientError(f"cannot read s3://{bucket}/{key}: {error}") from error

    return fetch
