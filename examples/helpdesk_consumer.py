"""A tiny helpdesk consumer: prints what arrives on the helpdesk queue and answers one escalation.

Against the local stack (`make run`):

    python examples/helpdesk_consumer.py --reply "Sorry about that! A replacement ships today."

It long-polls the queue, prints each event, answers the first `escalation.created` through the
helpdesk API (on the customer's own channel), and deletes each message once it is handled.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import boto3
import requests

QUEUE_NAME = "tandem-helpdesk.fifo"


def arguments() -> argparse.Namespace:
    """Command-line options, defaulting to the local stack."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:5000", help="AWS endpoint (moto)")
    parser.add_argument("--queue-url", help="HELPDESK_QUEUE_URL (looked up by name if omitted)")
    parser.add_argument("--api-key", default="dev-helpdesk-key", help="one of HELPDESK_API_KEYS")
    parser.add_argument("--reply", help="answer the first escalation with this text")
    parser.add_argument("--agent-name", default="Sam (example consumer)")
    parser.add_argument("--seconds", type=float, default=60, help="stop after this long")
    return parser.parse_args()


def show(event: dict[str, Any]) -> None:
    """Print one helpdesk event in a few lines."""
    data = event["data"]
    print(f"\n== {event['type']}  conversation {data['conversation_id']}")
    if event["type"] == "escalation.created":
        customer = data["customer"]
        reasons = ", ".join(f"{r['code']} ({r['evidence']!r})" for r in data["reasons"])
        print(
            f"   {customer['name'] or 'unknown customer'} on {data['channel']}, tier {customer['tier']}"
        )
        print(
            f"   priority {data['priority']}, respond by {data['respond_by']}; reasons: {reasons}"
        )
        print(f"   wants: {data['summary']}")
        for order in customer["open_orders"]:
            print(f"   open order #{order['order_number']}: {order['status']}")
        for line in data["transcript"]:
            print(f"   [{line['created_at']}] {line['author']}: {line['text']}")
    elif event["type"] == "conversation.customer_message":
        print(f"   customer: {data['message']['text']}")


def answer(packet: dict[str, Any], text: str, api_key: str, agent_name: str) -> None:
    """Reply through the API call the packet names; the reply goes out on the customer's channel."""
    call = packet["reply"]["reply"]
    body = {"text": text, "agent": {"id": "example-consumer", "name": agent_name}}
    response = requests.post(call["url"], json=body, headers={"X-Api-Key": api_key}, timeout=10)
    print(f"   -> replied: HTTP {response.status_code} {response.text}")
    response.raise_for_status()


def sqs_client(endpoint: str) -> Any:
    """SQS at the endpoint; moto takes any credentials, so local runs need none configured."""
    local = "127.0.0.1" in endpoint or "localhost" in endpoint
    fallback = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    has_own = boto3.session.Session().get_credentials() is not None
    extra = fallback if local and not has_own else {}
    return boto3.client("sqs", region_name="us-east-1", endpoint_url=endpoint, **extra)


def main() -> None:
    """Poll, print, answer one, delete after handling."""
    options = arguments()
    sqs = sqs_client(options.endpoint)
    url = options.queue_url or sqs.get_queue_url(QueueName=QUEUE_NAME)["QueueUrl"]
    reply, deadline = options.reply, time.monotonic() + options.seconds
    print(f"listening on {url} for {options.seconds:.0f} s")
    while time.monotonic() < deadline:
        received = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=10, VisibilityTimeout=60
        )
        for message in received.get("Messages", []):
            event = json.loads(message["Body"])
            show(event)
            if reply and event["type"] == "escalation.created":
                answer(event["data"], reply, options.api_key, options.agent_name)
                reply = None
            # Delete only after handling: if we crash first, the message comes back.
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


if __name__ == "__main__":
    main()
