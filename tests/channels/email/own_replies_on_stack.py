"""Send our twenty replies to a running `make run` through SES's topic; print what came back.

`python -m tests.channels.email.own_replies_on_stack http://127.0.0.1:5000` (moto's URL of that stack):
for each reply, the customer text the store kept and the start of the agent's answer.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import time
from email import message_from_string, policy
from typing import Any

import boto3
import requests

from tests.channels.email.own_replies import OUT, REPLIES

TOPIC = "arn:aws:sns:us-east-1:123456789012:tandem-inbound-email"
TRACKING_1001 = "1Z999AA10123456784"


def clients(moto: str) -> dict[str, Any]:
    """Keyword arguments of boto3 clients for the local moto server."""
    return {
        "region_name": "us-east-1",
        "endpoint_url": moto,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }


def notification(name: str) -> dict[str, Any]:
    """SES's receipt notification of one reply (SNS action, base64, every verdict PASS)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    verdicts = {
        f"{k}Verdict": {"status": "PASS"} for k in ("spam", "virus", "spf", "dkim", "dmarc")
    }
    return {
        "notificationType": "Received",
        "mail": {"timestamp": now, "source": "ava@example.com", "messageId": f"stack-{name}"},
        "receipt": {
            "timestamp": now,
            "recipients": ["support@northwind.example"],
            **verdicts,
            "action": {"type": "SNS", "topicArn": TOPIC, "encoding": "BASE64"},
        },
        "content": base64.b64encode((OUT / f"{name}.eml").read_bytes()).decode(),
    }


def answers(moto: str, expected: int, seconds: float = 240) -> dict[str, str]:
    """The plain text of each mail SES sent, by its In-Reply-To, once `expected` were sent."""
    deadline = time.monotonic() + seconds
    sent: list[dict[str, Any]] = []
    while time.monotonic() < deadline and len(sent) < expected:
        time.sleep(2)
        data = requests.get(f"{moto}/moto-api/data.json", timeout=10).json()
        sent = data.get("ses", {}).get("RawMessage", [])
    found = {}
    for message in sent:
        mail = message_from_string(message["raw_data"], policy=policy.default)
        body = mail.get_body(preferencelist=("plain",))
        found[str(mail["In-Reply-To"])] = str(body.get_content()) if body else ""
    return found


def stored_texts(moto: str) -> dict[str, str]:
    """The stored text of every inbound email message, by its Message-ID."""
    items = boto3.resource("dynamodb", **clients(moto)).Table("tandem").scan()["Items"]
    return {
        str(item["meta"]["message_id"]): str(item["text"])
        for item in items
        if isinstance(item.get("meta"), dict) and item["meta"].get("message_id") and "text" in item
    }


def main(moto: str) -> None:
    """Publishes every reply, waits for the answers, prints one line per reply and a total."""
    sns = boto3.client("sns", **clients(moto))
    for name in REPLIES:
        sns.publish(TopicArn=TOPIC, Message=json.dumps(notification(name)))
    replies, texts = answers(moto, len(REPLIES)), stored_texts(moto)
    squeeze = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
    good = 0
    for index, (name, reply) in enumerate(REPLIES.items(), start=1):
        message_id = f"<reply-{index:02d}-{name}@mail.example.com>"
        stored, answer = texts.get(message_id, ""), replies.get(message_id, "")
        ok = squeeze(stored) == squeeze(reply.text) and TRACKING_1001 in answer
        good += ok
        print(
            f"{'OK ' if ok else 'BAD'} {name:20} kept {stored!r:.60}  answer {squeeze(answer)[:70]!r}"
        )
    print(f"{good} of {len(REPLIES)} stored as the new text only and answered from it")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000")
