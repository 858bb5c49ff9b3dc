"""A catalog product's event data (`product.upserted`), and the base and value types of every
event's data: apart from `event_data`, because the store config's catalog holds products and a
worker's cold start reads that config without importing the other event types."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _to_hundredths_of_cents(amount: Decimal) -> Decimal:
    """An amount rounded to 4 places (clients compute totals in floating point), within bounds."""
    if amount >= 10**14:
        raise ValueError("amount too large")
    return amount.quantize(Decimal("0.0001"))


Text = Annotated[str, Field(min_length=1, max_length=1000)]
Money = Annotated[Decimal, Field(ge=0), AfterValidator(_to_hundredths_of_cents)]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$"), AfterValidator(str.upper)]


class EventData(BaseModel):
    """Base of every event's `data`: numbers are accepted where text is expected (ids, numbers)."""

    model_config = ConfigDict(coerce_numbers_to_str=True, frozen=True, defer_build=True)


class ProductUpserted(EventData):
    """`product.upserted`: one sellable product (a SKU) of the catalog."""

    sku: Text
    name: Text
    description: str = ""
    price: Money
    currency: Currency
    url: str | None = None
    categories: list[str] = Field(default_factory=list)
    in_stock: bool = True
