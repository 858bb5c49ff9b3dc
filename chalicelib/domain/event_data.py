"""The `data` of each store event type, in canonical form (UTC, E.164, lowercase email)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from chalicelib.domain import messages
from chalicelib.domain.contact import normalize_email, normalize_phone
from chalicelib.domain.product_data import Currency, EventData, Money, Text

OrderStatus = Literal[
    "placed", "processing", "shipped", "out_for_delivery", "delivered", "cancelled", "returned"
]


def _as_utc(moment: datetime) -> datetime:
    """A timestamp in UTC; one without a zone is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _date_part(value: Any) -> Any:
    """The date of a timestamp string, so an estimated delivery may be given either way."""
    return value[:10] if isinstance(value, str) and len(value) > 10 else value


Email = Annotated[str, AfterValidator(normalize_email)]
Phone = Annotated[str, AfterValidator(normalize_phone)]
Moment = Annotated[datetime, AfterValidator(_as_utc)]


class CustomerRef(EventData, messages.CustomerRef):
    """A customer named by the store's id, email or phone: at least one, in canonical form."""

    customer_id: Text | None = None
    email: Email | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _one_identity(self) -> CustomerRef:
        if not (self.customer_id or self.email or self.phone):
            raise ValueError("give at least one of customer_id, email, phone")
        return self


class Consent(EventData):
    """Marketing consent per channel; None means not stated (left as it was)."""

    email_marketing: bool | None = None
    sms_marketing: bool | None = None
    whatsapp: bool | None = None


class CustomerUpserted(CustomerRef):
    """`customer.upserted`: a customer's profile as the store knows it."""

    first_name: str | None = None
    last_name: str | None = None
    loyalty_tier: str | None = None
    loyalty_points: Annotated[int, Field(ge=0)] | None = None
    consent: Consent | None = None


class LineItem(EventData):
    """One product line of an order or a cart."""

    sku: Text
    name: Text
    quantity: Annotated[int, Field(ge=1)]
    price: Money


class Shipment(EventData):
    """Where an order's parcel is."""

    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    estimated_delivery: Annotated[date, BeforeValidator(_date_part)] | None = None


class OrderUpserted(EventData):
    """`order.upserted`: an order in its current state."""

    order_id: Text
    order_number: Text
    customer: CustomerRef
    status: OrderStatus
    placed_at: Moment
    items: list[LineItem]
    total: Money
    currency: Currency
    shipment: Shipment | None = None


class ShipmentUpdated(EventData):
    """Internal `order.shipment_updated` (Shopify fulfillments): new tracking for a known order."""

    order_id: Text
    status: OrderStatus | None = None
    shipment: Shipment


class RefundCreated(EventData):
    """Internal `order.refund_created` (Shopify refunds): money paid back on a known order."""

    order_id: Text
    refund_id: Text
    amount: Money
    currency: Currency
    note: str | None = None


class CartUpdated(EventData):
    """`cart.updated`: the customer's open cart; no items means it was emptied."""

    customer: CustomerRef
    items: list[LineItem]
    total: Money
    currency: Currency
    checkout_url: str | None = None


class ProductViewed(EventData):
    """`product.viewed`: a customer looked at a product."""

    customer: CustomerRef
    sku: Text
