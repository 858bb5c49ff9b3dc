"""Helpers of the follow-up tests: demo data, the scheduler as moto holds it, mail SES accepted."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

import boto3
import requests

from chalicelib.config.store_config import load_store_config
from dev import resources
from dev.seed import DEMO_CUSTOMER_ID, demo_events

STORE = {"X-Api-Key": "dev-store-key"}
NOON_IN_NEW_YORK = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
LINEN_TEE = "TEE-LINEN-WHT"


def catalog_events() -> list[dict[str, Any]]:
    """The demo store's catalog as `product.upserted` events."""
    now = "2026-01-01T00:00:00Z"
    return [
        {
            "id": f"test-product-{p.sku}",
            "type": "product.upserted",
            "occurred_at": now,
            "data": p.model_dump(mode="json"),
        }
        for p in load_store_config().catalog
    ]


def customer_event(event_id: str, **changes: Any) -> dict[str, Any]:
    """A `customer.upserted` of the demo customer with some fields changed."""
    data = {**demo_events()[0]["data"], **changes}
    return {"id": event_id, "type": "customer.upserted", "occurred_at": iso_now(), "data": data}


def order_event(event_id: str, sku: str, status: str = "placed") -> dict[str, Any]:
    """An `order.upserted` of the demo customer containing one product."""
    data = {
        "order_id": f"o-{event_id}",
        "order_number": event_id,
        "customer": {"customer_id": DEMO_CUSTOMER_ID},
        "status": status,
        "placed_at": iso_now(),
        "items": [{"sku": sku, "name": "Linen tee", "quantity": 1, "price": 30}],
        "total": 30,
        "currency": "USD",
    }
    return {"id": event_id, "type": "order.upserted", "occurred_at": iso_now(), "data": data}


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def scheduler(moto_url: str) -> Any:
    return boto3.client("scheduler", region_name=resources.REGION, endpoint_url=moto_url)


def schedules(moto_url: str) -> list[dict[str, Any]]:
    """Every schedule in the follow-up group, in full (one that fired in between is left out)."""
    client = scheduler(moto_url)
    listed = client.list_schedules(GroupName=resources.SCHEDULE_GROUP)["Schedules"]
    found = []
    for schedule in listed:
        try:
            found.append(
                client.get_schedule(Name=schedule["Name"], GroupName=resources.SCHEDULE_GROUP)
            )
        except client.exceptions.ResourceNotFoundException:
            continue  # fired and deleted (ActionAfterCompletion) since it was listed
    return found


def sent_mail(moto_url: str) -> list[Message]:
    """The mails SES accepted (moto keeps them), parsed."""
    data = requests.get(f"{moto_url}/moto-api/data.json", timeout=10).json()
    raw = [item["raw_data"] for item in data.get("ses", {}).get("RawMessage", [])]
    found = [email.message_from_string(text) for text in raw]
    return found


def text_of(mail: Message) -> str:
    """The text/plain part of a mail."""
    for part in mail.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())  # type: ignore[union-attr]
    return ""


def later(moment: datetime, seconds: int = 60) -> datetime:
    return moment + timedelta(seconds=seconds)
