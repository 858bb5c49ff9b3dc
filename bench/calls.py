"""AWS calls per message, counted with botocore event hooks on the real pipeline against moto."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from bench.world import AVA, CallCounter, sms_form
from dev.fakes.twilio_api import FakeTwilioApi
from dev.stack import LOCAL_DEFAULTS

FORM = "application/x-www-form-urlencoded"


def counted_pipeline(moto_url: str, twilio: FakeTwilioApi) -> tuple[Any, CallCounter]:
    """The app on moto with the demo customer, its AWS clients counted."""
    import requests

    from chalicelib.runtime.observability import logger
    from tests.channels.twilio.twilio_client import seed_demo
    from tests.harness import start_pipeline

    requests.post(f"{moto_url}/moto-api/reset", timeout=10)  # a fresh table and queues
    logger.setLevel("WARNING")  # the table, not a log line per message
    pipeline = start_pipeline(moto_url, TWILIO_API_BASE_URL=twilio.base_url, AGENT_BACKEND="rules")
    seed_demo(pipeline)
    counter = CallCounter()
    counter.attach(pipeline.services.table.client)
    counter.attach(pipeline.services.sqs)
    return pipeline, counter


def post_sms(pipeline: Any, sid: str, text: str, sender: str = AVA) -> None:
    """A signed inbound SMS through the API handler, with Twilio's idempotency token."""
    from twilio.request_validator import RequestValidator

    form = sms_form(sid, text, sender)
    url = pipeline.env["PUBLIC_BASE_URL"] + "/webhooks/twilio"
    signature = RequestValidator(pipeline.env["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    headers = {"Content-Type": FORM, "X-Twilio-Signature": signature}
    headers["I-Twilio-Idempotency-Token"] = f"idem-{sid}"
    response = pipeline.client.http.post("/webhooks/twilio", headers=headers, body=urlencode(form))
    assert response.status_code == 200, response.body


def measure_calls(moto_url: str) -> dict[str, Any]:
    """Calls of the webhook and of the worker, for a first and a follow-up message."""
    credentials = (LOCAL_DEFAULTS["TWILIO_ACCOUNT_SID"], LOCAL_DEFAULTS["TWILIO_AUTH_TOKEN"])
    with FakeTwilioApi(*credentials) as twilio:
        pipeline, counter = counted_pipeline(moto_url, twilio)
        found: dict[str, Any] = {}
        for label, sid in (("first", "SM" + "a" * 32), ("follow_up", "SM" + "b" * 32)):
            counter.take()
            counter.take_items()
            post_sms(pipeline, sid, "where is my order?")
            webhook = counter.take()
            pipeline.drain()
            worker = counter.take()
            found[label] = {
                "webhook": len(webhook),
                "worker": len(worker),
                "webhook_calls": dict(Counter(webhook)),
                "worker_calls": dict(Counter(worker)),
                "transaction_items": counter.take_items(),
            }
        found["sends"] = len(twilio.messages)
    return found
