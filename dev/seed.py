"""Demo store data for the local stack, posted through the store's own API (`POST /events`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests

DEMO_EMAIL = "ava@example.com"
DEMO_PHONE = "+14155550123"
DEMO_CUSTOMER_ID = "cust-ava"


def _days_ago(days: int) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def demo_events() -> list[dict[str, Any]]:
    """A demo shopper with a shipped and a delivered order."""
    ava = {"customer_id": DEMO_CUSTOMER_ID}
    now = _days_ago(0)
    eta = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    customer = {
        **ava,
        "email": DEMO_EMAIL,
        "phone": DEMO_PHONE,
        "first_name": "Ava",
        "last_name": "Lee",
        "loyalty_tier": "gold",
        "loyalty_points": 1200,
        "consent": {"email_marketing": True, "sms_marketing": True, "whatsapp": True},
    }
    shipped = {
        "order_id": "o-1001",
        "order_number": "1001",
        "customer": ava,
        "status": "shipped",
        "placed_at": _days_ago(3),
        "items": [{"sku": "TEE-LINEN-M", "name": "Linen tee", "quantity": 1, "price": 30}],
        "total": 30,
        "currency": "USD",
        "shipment": {
            "carrier": "UPS",
            "tracking_number": "1Z999AA10123456784",
            "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
            "estimated_delivery": eta,
        },
    }
    delivered = {
        "order_id": "o-0987",
        "order_number": "987",
        "customer": ava,
        "status": "delivered",
        "placed_at": _days_ago(40),
        "items": [{"sku": "MUG-STONE", "name": "Stoneware mug", "quantity": 2, "price": 18}],
        "total": 36,
        "currency": "USD",
    }
    return [
        {
            "id": "seed-customer-ava",
            "type": "customer.upserted",
            "occurred_at": now,
            "data": customer,
        },
        {"id": "seed-order-1001", "type": "order.upserted", "occurred_at": now, "data": shipped},
        {"id": "seed-order-987", "type": "order.upserted", "occurred_at": now, "data": delivered},
    ]


def seed(api_url: str, store_key: str, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Post the demo events (and any extra ones) to the running API."""
    events = demo_events() + (extra or [])
    answer = requests.post(
        f"{api_url}/events", json={"events": events}, headers={"X-Api-Key": store_key}, timeout=30
    )
    answer.raise_for_status()
    return dict(answer.json())


def identity_token(secret: str, customer_id: str = DEMO_CUSTOMER_ID, hours: int = 12) -> str:
    """An identity token as a store's backend would sign it for a logged-in shopper."""
    import jwt

    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    return jwt.encode({"sub": customer_id, "exp": expires}, secret, algorithm="HS256")


def seed_store_config() -> dict[str, int]:
    """Seed the store config's knowledge articles and catalog into the table of this environment."""
    from chalicelib.bootstrap import Services
    from chalicelib.commerce.knowledge_api import seed_store_config as seed_config
    from chalicelib.config.settings import Settings

    built = Services(Settings())
    return seed_config(built.store_config, built.knowledge, built.catalog)
