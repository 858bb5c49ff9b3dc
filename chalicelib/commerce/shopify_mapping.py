"""Shopify customers, checkouts and products as `customer.upserted`, `cart.updated`, `product.upserted`."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from chalicelib.commerce.shopify_fields import (
    Mapped,
    Resource,
    customer_ref,
    email,
    moment,
    money,
    obj,
    objs,
    phone,
    required,
    text,
    updated_at,
)
from chalicelib.commerce.shopify_orders import line_items

BLOCK_TAGS = {"p", "br", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Shop:
    """What a webhook body does not say about the shop: its domain and its currency."""

    domain: str | None = None
    currency: str = "USD"
    triggered_at: str | None = None  # `X-Shopify-Triggered-At`: when Shopify fired the webhook


def map_customer(customer: Resource, shop: Shop) -> list[Mapped]:
    """`customers/*`: the profile, its email and phone, and marketing consent."""
    address = obj(customer, "default_address")
    data = {
        "customer_id": required(customer, "id"),
        "email": email(customer),
        # Shopify keeps a customer's own phone on top; the default address phone is free text.
        "phone": phone(customer) or phone(address, region=text(address, "country_code")),
        "first_name": text(customer, "first_name"),
        "last_name": text(customer, "last_name"),
        "consent": _consent(customer),
    }
    # Shopify may send a customer with no updated_at: the webhook's own time orders it then.
    return [("customer.upserted", updated_at(customer, shop.triggered_at), data)]


def _consent(customer: Resource) -> dict[str, bool | None]:
    """Marketing consent; WhatsApp consent is not Shopify's to give, so it is left unstated."""
    email_state = text(obj(customer, "email_marketing_consent"), "state")
    sms_state = text(obj(customer, "sms_marketing_consent"), "state")
    legacy = customer.get("accepts_marketing")  # before email_marketing_consent existed
    return {
        "email_marketing": email_state == "subscribed" if email_state else _flag(legacy),
        "sms_marketing": sms_state == "subscribed" if sms_state else None,
        "whatsapp": None,
    }


def _flag(value: Any) -> bool | None:
    """A boolean field, None when it is not one."""
    return value if isinstance(value, bool) else None


def map_checkout(checkout: Resource, shop: Shop) -> list[Mapped]:
    """`checkouts/*`: the open cart and its recovery URL; a completed checkout empties the cart."""
    customer = customer_ref(checkout)
    if customer is None:  # an anonymous checkout: nobody to attach the cart to yet
        return []
    completed = bool(checkout.get("completed_at"))
    data = {
        "customer": customer,
        "items": [] if completed else line_items(checkout),
        "total": 0.0 if completed else money(checkout, "total_price"),
        "currency": text(checkout, "currency") or text(checkout, "presentment_currency"),
        "checkout_url": None if completed else text(checkout, "abandoned_checkout_url"),
    }
    return [("cart.updated", updated_at(checkout), data)]


def map_product(product: Resource, shop: Shop) -> list[Mapped]:
    """`products/*`: one `product.upserted` per variant, since orders and carts name SKUs."""
    required(product, "id")
    variants = objs(product, "variants")
    return [
        _variant(product, variant, f"variants[{i}]", shop) for i, variant in enumerate(variants)
    ]


def _variant(product: Resource, variant: Resource, where: str, shop: Shop) -> Mapped:
    """One variant as a sellable product."""
    sku = text(variant, "sku") or required(variant, "id", where)
    title = text(variant, "title")
    data = {
        "sku": sku,
        "name": " - ".join(filter(None, [required(product, "title"), _variant_title(title)])),
        "description": plain_text(text(product, "body_html") or ""),
        "price": money(variant, "price", where),
        "currency": shop.currency,
        "url": _product_url(product, variant, shop),
        "categories": _categories(product),
        "in_stock": _in_stock(product, variant),
    }
    changed = [moment(product, "updated_at"), moment(variant, "updated_at")]
    latest = max((m for m in changed if m), default=None)
    return ("product.upserted", latest.isoformat() if latest else updated_at(product), data)


def _variant_title(title: str | None) -> str | None:
    """A variant's title, except Shopify's placeholder for products without options."""
    return None if title == "Default Title" else title


def _product_url(product: Resource, variant: Resource, shop: Shop) -> str | None:
    """The variant's page on the storefront (relative when the shop domain is unknown)."""
    handle = text(product, "handle")
    if handle is None:
        return None
    base = f"https://{shop.domain}" if shop.domain else ""
    variant_id = text(variant, "id")
    return f"{base}/products/{handle}" + (f"?variant={variant_id}" if variant_id else "")


def _categories(product: Resource) -> list[str]:
    """The product type then the tags, without blanks or repeats."""
    tags = (text(product, "tags") or "").split(",")
    names = [text(product, "product_type") or "", *tags]
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def _in_stock(product: Resource, variant: Resource) -> bool:
    """Sellable now: an active product whose variant is untracked, oversellable, or has stock."""
    if text(product, "status") not in (None, "active"):
        return False  # draft or archived products are not for sale
    if not text(variant, "inventory_management") or text(variant, "inventory_policy") == "continue":
        return True
    quantity = variant.get("inventory_quantity")
    return isinstance(quantity, int) and quantity > 0


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, a space at each block boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" " if tag in BLOCK_TAGS else "")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" " if tag in BLOCK_TAGS else "")


def plain_text(html: str) -> str:
    """The readable text of Shopify's `body_html`."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())
