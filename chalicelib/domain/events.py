"""Store events, as `POST /events` accepts them and Shopify webhooks map to, and their parsing."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.event_data import (
    CartUpdated,
    CustomerUpserted,
    EventData,
    Moment,
    OrderUpserted,
    ProductViewed,
    RefundCreated,
    ShipmentUpdated,
)
from chalicelib.domain.product_data import ProductUpserted

MAX_BATCH = 100
EventType = Literal[
    "customer.upserted",
    "order.upserted",
    "cart.updated",
    "product.upserted",
    "product.viewed",
    "order.shipment_updated",
    "order.refund_created",
]


class StoreEvent(BaseModel):
    """An event from the store: `id` makes it idempotent, `occurred_at` orders updates."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    id: Annotated[str, Field(min_length=1, max_length=256)]
    type: EventType
    occurred_at: Moment
    data: EventData


class CustomerUpsertedEvent(StoreEvent):
    """A `customer.upserted` event."""

    type: Literal["customer.upserted"]
    data: CustomerUpserted


class OrderUpsertedEvent(StoreEvent):
    """An `order.upserted` event."""

    type: Literal["order.upserted"]
    data: OrderUpserted


class ShipmentUpdatedEvent(StoreEvent):
    """An internal `order.shipment_updated` event (not accepted on `POST /events`)."""

    type: Literal["order.shipment_updated"]
    data: ShipmentUpdated


class RefundCreatedEvent(StoreEvent):
    """An internal `order.refund_created` event (not accepted on `POST /events`)."""

    type: Literal["order.refund_created"]
    data: RefundCreated


class CartUpdatedEvent(StoreEvent):
    """A `cart.updated` event."""

    type: Literal["cart.updated"]
    data: CartUpdated


class ProductUpsertedEvent(StoreEvent):
    """A `product.upserted` event."""

    type: Literal["product.upserted"]
    data: ProductUpserted


class ProductViewedEvent(StoreEvent):
    """A `product.viewed` event."""

    type: Literal["product.viewed"]
    data: ProductViewed


PUBLIC_EVENT_TYPES: dict[str, type[StoreEvent]] = {
    "customer.upserted": CustomerUpsertedEvent,
    "order.upserted": OrderUpsertedEvent,
    "cart.updated": CartUpdatedEvent,
    "product.upserted": ProductUpsertedEvent,
    "product.viewed": ProductViewedEvent,
}
INTERNAL_EVENT_TYPES: dict[str, type[StoreEvent]] = {
    **PUBLIC_EVENT_TYPES,
    "order.shipment_updated": ShipmentUpdatedEvent,
    "order.refund_created": RefundCreatedEvent,
}


def parse_event_batch(body: object, *, internal: bool = False) -> list[StoreEvent]:
    """One event or `{"events": [...]}` validated whole; BadRequestError names the field."""
    if isinstance(body, dict) and "events" in body:
        return [
            parse_event(raw, internal=internal, where=f"events[{index}]")
            for index, raw in enumerate(_batch(body["events"]))
        ]
    return [parse_event(body, internal=internal)]


def parse_event(raw: object, *, internal: bool = False, where: str = "") -> StoreEvent:
    """One event validated by the model of its `type`; `internal` also admits Shopify-only types."""
    if not isinstance(raw, dict):
        raise BadRequestError(
            f"{where or 'body'}: an event must be a JSON object", field=where or "body"
        )
    known = INTERNAL_EVENT_TYPES if internal else PUBLIC_EVENT_TYPES
    model = known.get(raw["type"]) if isinstance(raw.get("type"), str) else None
    if model is None:
        field = _path(where, ("type",))
        raise BadRequestError(f"{field}: must be one of {', '.join(known)}", field=field)
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise _bad_request(error, where) from None


def unknown_fields_of_batch(events: list[StoreEvent], body: object) -> list[str]:
    """Fields of the request body that no event model took (`events[0].data.frist_name`)."""
    from chalicelib.domain.ignored_fields import ignored_fields

    if isinstance(body, dict) and "events" in body:
        found = [key for key in body if key != "events"]
        for index, (event, raw) in enumerate(zip(events, body["events"], strict=False)):
            found += ignored_fields(event, raw, f"events[{index}]")
        return found
    return ignored_fields(events[0], body) if events else []


def _batch(events: Any) -> list[Any]:
    """The list of a batch, refused when it is not a list of 1 to MAX_BATCH events."""
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_BATCH:
        raise BadRequestError(f"events: must be a list of 1 to {MAX_BATCH} events", field="events")
    return events


def _bad_request(error: ValidationError, where: str) -> BadRequestError:
    """The first validation problem as a 400 naming its field and why."""
    first = error.errors(include_url=False)[0]
    field = _path(where, first["loc"])
    why = first["msg"].removeprefix("Value error, ")
    return BadRequestError(f"{field or 'event'}: {why}", field=field or where or "body")


def _path(where: str, loc: tuple[int | str, ...]) -> str:
    """A field path such as `events[3].data.items[0].price`."""
    path = where
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f"{'.' if path else ''}{part}"
    return path
