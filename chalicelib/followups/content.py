"""What a follow-up says: store-editable Jinja2 templates in a sandbox, filled per customer."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from chalicelib.config.store_sections import FollowUpRules
from chalicelib.domain.followups import FollowUp
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.domain.vocabulary import Channel
from chalicelib.outbox.policy import TEMPLATE_PURPOSE, TEMPLATE_VALUES

RECOMMENDATIONS = 2


@dataclass(frozen=True)
class Content:
    """A rendered follow-up: the text, and the channel extras the sender reads from meta."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    # Plain text: the email sender escapes it into the HTML part and SMS is text, so escaping
    # here would show `&amp;` to the customer. The sandbox stops templates reaching Python.
    return SandboxedEnvironment(autoescape=False)


def render(source: str, context: dict[str, Any]) -> str:
    """One template rendered in the sandbox (jinja2.TemplateError when it cannot be)."""
    return _environment().from_string(source).render(context).strip()


def product_view(product: dict[str, Any] | None, sku: str, name: str = "") -> dict[str, Any]:
    """A product as templates see it; missing fields are empty, never `None`."""
    product = product or {}
    price = product.get("price")
    return {
        "sku": sku,
        "name": product.get("name") or name or sku,
        "price": f"{float(price):.2f}" if price is not None else "",
        "currency": product.get("currency") or "",
        "url": product.get("url") or "",
    }


def recommendations(
    product: dict[str, Any], catalog: list[dict[str, Any]], bought: set[str]
) -> list[dict[str, Any]]:
    """Two in-stock products sharing the most categories with it, not it and not bought."""
    categories = set(product.get("categories") or [])

    def shared(item: dict[str, Any]) -> int:
        return len(categories & set(item.get("categories") or []))

    candidates = [
        item
        for item in catalog
        if item.get("in_stock")
        and item["sku"] != product.get("sku")
        and item["sku"] not in bought
        and shared(item) > 0
    ]
    ranked = sorted(candidates, key=lambda item: (-shared(item), str(item.get("name"))))
    return [product_view(item, item["sku"]) for item in ranked[:RECOMMENDATIONS]]


def template_context(
    bundle: CustomerBundle,
    product: dict[str, Any] | None,
    followup: FollowUp,
    related: list[dict[str, Any]],
    unsubscribe_url: str,
) -> dict[str, Any]:
    """The names every follow-up template may use (docs/store-config.md)."""
    return {
        "first_name": bundle.first_name,
        "product": product_view(product, followup.sku, followup.product_name),
        "recommendations": related,
        "unsubscribe_url": unsubscribe_url,
    }


def compose(rules: FollowUpRules, channel: Channel, context: dict[str, Any]) -> Content:
    """The follow-up for its channel: subject and body by email, the short text elsewhere."""
    if channel is Channel.EMAIL:
        meta = {
            "subject": render(rules.email_subject, context),
            "proactive": True,
            "list_unsubscribe": context["unsubscribe_url"],
        }
        return Content(render(rules.email_body, context), meta)
    product = context["product"]
    variables = {
        "first_name": context["first_name"],
        "product_name": product["name"],
        "product_url": product["url"],
    }
    meta = {TEMPLATE_PURPOSE: "followup", TEMPLATE_VALUES: variables}
    return Content(render(rules.text_body, context), meta)
