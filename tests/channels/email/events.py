"""Loads the email corpus (tests/events/email/*.eml) and builds SES receipt notifications from it."""

from __future__ import annotations

import base64
import copy
import json
from email import message_from_bytes, policy
from email.utils import parseaddr
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).parents[2] / "events"


def load_event(name: str) -> Any:
    """A file of tests/events: .eml as bytes, .json parsed."""
    path = EVENTS / name
    return json.loads(path.read_text()) if path.suffix == ".json" else path.read_bytes()


def eml(name: str) -> bytes:
    """One mail of the corpus, raw."""
    return load_event(f"email/{name}.eml")


def ses_notification(
    raw: bytes,
    *,
    verdicts: dict[str, str] | None = None,
    s3_key: str | None = None,
    encoding: str = "BASE64",
    recipients: list[str] | None = None,
    message_id: str = "o3f9v2kq0k8e1r2t3y4u5i6o7p8a9s0d1f2g3h4",
    source: str | None = None,
) -> dict[str, Any]:
    """An SES 'Received' notification for a raw mail, as SES builds it (SNS or S3 action)."""
    notification = copy.deepcopy(load_event("ses/received_notification.json"))
    mail, receipt = notification["mail"], notification["receipt"]
    mail["messageId"] = message_id
    # The envelope MAIL FROM, whose domain SES's SPF verdict is about: the From's, unless told.
    mail["source"] = envelope_sender(raw) if source is None else source
    mail["headers"], mail["commonHeaders"] = headers_of(raw)
    for name, status in (verdicts or {}).items():
        receipt[f"{name}Verdict"] = {"status": status}
    if recipients is not None:
        receipt["recipients"] = mail["destination"] = recipients
    if s3_key is not None:
        receipt["action"] = {
            "type": "S3",
            "bucketName": "tandem-inbound-email",
            "objectKey": s3_key,
        }
        notification.pop("content")
    else:
        receipt["action"]["encoding"] = encoding
        notification["content"] = encoded(raw, encoding)
    return notification


def envelope_sender(raw: bytes) -> str:
    """The address of a mail's From header, as its sender's server gives it in MAIL FROM."""
    message = message_from_bytes(raw, policy=policy.compat32)
    return parseaddr(str(message.get("From", "")))[1]


def encoded(raw: bytes, encoding: str) -> str:
    """The content field: base64 of the bytes, or the mail as UTF-8 text."""
    if encoding == "BASE64":
        return base64.b64encode(raw).decode("ascii")
    return raw.decode("utf-8", errors="replace")


def headers_of(raw: bytes) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """SES's `headers` list and `commonHeaders` of a raw mail."""
    message = message_from_bytes(raw, policy=policy.compat32)
    headers = [{"name": name, "value": str(value)} for name, value in message.items()]
    common = {
        "from": [str(value) for value in message.get_all("From", [])],
        "to": [str(value) for value in message.get_all("To", [])],
        "subject": str(message.get("Subject", "")),
        "messageId": str(message.get("Message-ID", "")),
    }
    return headers, common


def sqs_body(notification: dict[str, Any], *, raw_delivery: bool = False) -> str:
    """The SQS message body: the SNS envelope around the notification, or it alone (raw)."""
    if raw_delivery:
        return json.dumps(notification)
    envelope = load_event("ses/sns_envelope.json")
    envelope["Message"] = json.dumps(notification)
    return json.dumps(envelope)
