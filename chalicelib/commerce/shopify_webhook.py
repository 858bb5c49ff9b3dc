"""`POST /webhooks/shopify`: verify the HMAC, dedupe on the webhook id, map the topic, apply.

Every delivery that passes the HMAC check is acknowledged with a 200, even one we cannot use (a
topic we do not handle, a resource missing a field we need): Shopify retries a non-2xx answer 8
times over 4 hours with the same payload, then may delete the subscription, so refusing one odd
payload could cost every later webhook of that topic. Such a delivery is logged (topic, webhook id and field, never the
payload) and answered `{"status": "ignored", "reason": {...}}`. See docs/shopify.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from chalicelib.commerce.events import Commerce
from chalicelib.commerce.shopify import map_webhook, verify_shopify_hmac
from chalicelib.commerce.shopify_mapping import Shop
from chalicelib.commerce.shopify_topics import check_topic_shape
from chalicelib.domain.errors import (
    BadRequestError,
    ForbiddenError,
    PayloadTooLargeError,
    UnauthorizedError,
)
from chalicelib.domain.events import StoreEvent, parse_event
from chalicelib.domain.json_body import parse_json
from chalicelib.runtime.observability import logger
from chalicelib.store.dedupe import DedupeStore

MAX_WEBHOOK_BYTES = 1024 * 1024
SHOP_DOMAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$")
SOURCE = "shopify"


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, whatever the case of its name; empty when absent."""
    lowered = {key.lower(): value for key, value in headers.items()}
    return str(lowered.get(name.lower()) or "").strip()


def webhook_id_of(headers: Mapping[str, str], topic: str, body: bytes) -> str:
    """`X-Shopify-Webhook-Id`, else a digest of topic and body (same body, same id)."""
    given = _header(headers, "X-Shopify-Webhook-Id")
    if given:
        return given[:200]
    return "body-" + hashlib.sha256(topic.encode() + b"\n" + body).hexdigest()[:32]


class ShopifyWebhooks:
    """Receives Shopify webhooks and applies them to profiles, orders, carts and the catalog."""

    def __init__(
        self, secret: str, commerce: Commerce, dedupe: DedupeStore, shop_domain: str = ""
    ) -> None:
        """`shop_domain`: the one shop served (SHOPIFY_SHOP_DOMAIN); others' webhooks are refused."""
        self.secret = secret
        self.commerce = commerce
        self.dedupe = dedupe
        self.shop = Shop(domain=shop_domain.strip().lower() or None)

    def receive(self, headers: Mapping[str, str], raw_body: bytes | None) -> dict[str, Any]:
        """Apply one delivery once; 413 when too large, 401 when the HMAC does not match."""
        body = raw_body or b""
        if len(body) > MAX_WEBHOOK_BYTES:
            raise PayloadTooLargeError(f"at most {MAX_WEBHOOK_BYTES} bytes", field="body")
        if not verify_shopify_hmac(self.secret, body, _header(headers, "X-Shopify-Hmac-Sha256")):
            raise UnauthorizedError("X-Shopify-Hmac-Sha256 does not match the body")
        self._check_shop(_header(headers, "X-Shopify-Shop-Domain"))
        topic = _header(headers, "X-Shopify-Topic")
        check_topic_shape(topic, _payload_or_none(body))
        webhook_id = webhook_id_of(headers, topic, body)
        if self.dedupe.already(SOURCE, webhook_id):
            return {"status": "duplicate", "webhook_id": webhook_id}
        # When Shopify fired it orders a customer that carries no updated_at.
        triggered = _header(headers, "X-Shopify-Triggered-At") or None
        result = self._apply(topic, webhook_id, body, replace(self.shop, triggered_at=triggered))
        self.dedupe.first_time(SOURCE, webhook_id, {"topic": topic})
        return result

    def _apply(self, topic: str, webhook_id: str, body: bytes, shop: Shop) -> dict[str, Any]:
        """The delivery's events applied, or why it was ignored."""
        try:
            events = self._events(topic, webhook_id, body, shop)
        except BadRequestError as error:
            extra = {"topic": topic[:100], "webhook_id": webhook_id, "field": error.field}
            logger.warning("shopify webhook ignored", extra=extra)
            return {
                "status": "ignored",
                "webhook_id": webhook_id,
                "reason": error.to_body()["error"],
            }
        applied = self.commerce.apply_batch(events)
        logger.info("shopify webhook applied", extra={"topic": topic, "events": len(events)})
        return {
            "status": "applied",
            "webhook_id": webhook_id,
            "accepted": applied.accepted,
            "duplicates": applied.duplicates,
        }

    @staticmethod
    def _events(topic: str, webhook_id: str, body: bytes, shop: Shop) -> list[StoreEvent]:
        """The store events of a delivery; BadRequestError when it cannot be used."""
        payload = parse_json(body)
        mapped = map_webhook(topic, webhook_id, payload, shop=shop)
        return [parse_event(event, internal=True) for event in mapped]  # a product may have >100

    def _check_shop(self, domain: str) -> None:
        """403 for a webhook of another shop (the header is not signed, but an app's shops share
        its secret); the domain of URLs always comes from the setting, never from the header."""
        if self.shop.domain and domain.lower() != self.shop.domain:
            shown = domain[:100] if SHOP_DOMAIN.match(domain) else "not a domain"
            raise ForbiddenError(
                f"this deployment serves the shop {self.shop.domain}; "
                f"X-Shopify-Shop-Domain is {shown if domain else 'missing'}"
            )


def _payload_or_none(body: bytes) -> Any:
    """The body as JSON for the topic check, or None when it is not JSON (refused later)."""
    try:
        return parse_json(body)
    except BadRequestError:
        return None
