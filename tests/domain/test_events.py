"""The `POST /events` contract: every type accepted in canonical form, every bad input named."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.events import (
    CartUpdatedEvent,
    CustomerUpsertedEvent,
    OrderUpsertedEvent,
    ProductUpsertedEvent,
    ProductViewedEvent,
    ShipmentUpdatedEvent,
    parse_event_batch,
)

ITEM = {"sku": "TEE-1", "name": "Linen tee", "quantity": 1, "price": 30}
VALID: dict[str, dict[str, Any]] = {
    "customer.upserted": {
        "customer_id": "c1",
        "email": "Ava@Example.com",
        "phone": "+1 (415) 555-0123",
        "first_name": "Ava",
        "last_name": "Lopez",
        "loyalty_tier": "gold",
        "loyalty_points": 120,
        "consent": {"email_marketing": True, "sms_marketing": False, "whatsapp": True},
    },
    "order.upserted": {
        "order_id": "o1",
        "order_number": "1001",
        "customer": {"email": "ava@example.com"},
        "status": "shipped",
        "placed_at": "2026-11-20T10:00:00Z",
        "items": [ITEM],
        "total": 30,
        "currency": "USD",
        "shipment": {
            "carrier": "UPS",
            "tracking_number": "1Z999",
            "estimated_delivery": "2026-11-26",
        },
    },
    "cart.updated": {
        "customer": {"phone": "+14155550123"},
        "items": [ITEM],
        "total": "30.00",
        "currency": "usd",
        "checkout_url": "https://shop.example/checkouts/abc",
    },
    "product.upserted": {
        "sku": "TEE-1",
        "name": "Linen tee",
        "description": "Breathable.",
        "price": 30,
        "currency": "USD",
        "url": "https://shop.example/products/linen-tee",
        "categories": ["tees"],
        "in_stock": True,
    },
    "product.viewed": {"customer": {"customer_id": "c1"}, "sku": "TEE-1"},
}
MODELS = {
    "customer.upserted": CustomerUpsertedEvent,
    "order.upserted": OrderUpsertedEvent,
    "cart.updated": CartUpdatedEvent,
    "product.upserted": ProductUpsertedEvent,
    "product.viewed": ProductViewedEvent,
}


def event(kind: str, data: dict[str, Any] | None = None, **envelope: Any) -> dict[str, Any]:
    """A valid event of `kind`, with `data` and envelope fields overridden."""
    body = {"id": f"evt-{kind}", "type": kind, "occurred_at": "2026-11-20T10:00:00Z"}
    body["data"] = copy.deepcopy(VALID[kind]) if data is None else data
    return {**body, **envelope}


def bad_field(body: object) -> str | None:
    """The field a refused body is blamed on."""
    with pytest.raises(BadRequestError) as refused:
        parse_event_batch(body)
    assert refused.value.field and refused.value.field in refused.value.message
    return refused.value.field


@pytest.mark.parametrize("kind", sorted(VALID))
def test_every_contract_type_is_accepted_alone_and_in_a_batch(kind: str) -> None:
    (alone,) = parse_event_batch(event(kind))
    batch = parse_event_batch({"events": [event(kind), event(kind, id="other")]})
    assert isinstance(alone, MODELS[kind]) and alone.type == kind
    assert [e.id for e in batch] == [f"evt-{kind}", "other"]


def test_identities_money_and_times_come_out_in_canonical_form() -> None:
    (customer,) = parse_event_batch(
        event("customer.upserted", occurred_at="2026-11-20T12:00+02:00")
    )
    (order,) = parse_event_batch(event("order.upserted"))
    assert isinstance(customer, CustomerUpsertedEvent) and isinstance(order, OrderUpsertedEvent)
    assert customer.data.email == "ava@example.com" and customer.data.phone == "+14155550123"
    assert customer.occurred_at == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert order.data.total == Decimal(30) and order.data.items[0].price == Decimal(30)
    assert order.data.shipment and order.data.shipment.estimated_delivery == date(2026, 11, 26)


def test_floating_point_amounts_are_rounded_not_refused() -> None:
    data = {**VALID["cart.updated"], "total": 59.970000000000006}
    (cart,) = parse_event_batch(event("cart.updated", data))
    assert isinstance(cart, CartUpdatedEvent) and cart.data.total == Decimal("59.97")


def test_numbers_are_accepted_as_ids_and_a_naive_time_is_utc() -> None:
    data = {**VALID["order.upserted"], "order_id": 450789469, "order_number": 1001}
    (order,) = parse_event_batch(event("order.upserted", data, occurred_at="2026-11-20T10:00:00"))
    assert isinstance(order, OrderUpsertedEvent)
    assert (order.data.order_id, order.data.order_number) == ("450789469", "1001")
    assert order.occurred_at.tzinfo == UTC


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "lost"}, "events[1].data.status"),
        ({"customer": {}}, "events[1].data.customer"),
        ({"customer": {"email": "not-an-email"}}, "events[1].data.customer.email"),
        ({"customer": {"phone": "12"}}, "events[1].data.customer.phone"),
        ({"items": [{**ITEM, "quantity": 0}]}, "events[1].data.items[0].quantity"),
        ({"items": [{**ITEM, "price": -1}]}, "events[1].data.items[0].price"),
        ({"total": "a lot"}, "events[1].data.total"),
        ({"total": 1e20}, "events[1].data.total"),
        ({"currency": "dollars"}, "events[1].data.currency"),
        ({"placed_at": "yesterday"}, "events[1].data.placed_at"),
        ({"order_id": ""}, "events[1].data.order_id"),
    ],
)
def test_an_invalid_order_in_a_batch_names_its_index_and_field(
    change: dict[str, Any], field: str
) -> None:
    broken = event("order.upserted", {**VALID["order.upserted"], **change})
    assert bad_field({"events": [event("product.viewed"), broken]}) == field


def test_a_missing_required_field_is_named() -> None:
    data = {k: v for k, v in VALID["product.upserted"].items() if k != "price"}
    assert bad_field(event("product.upserted", data)) == "data.price"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (event("product.viewed", type="order.created"), "type"),
        (event("product.viewed", id=""), "id"),
        (event("product.viewed", occurred_at=None), "occurred_at"),
        (event("product.viewed", data="TEE-1"), "data"),
        ({"events": [event("product.viewed"), 7]}, "events[1]"),
        ({"events": []}, "events"),
        ({"events": {"0": event("product.viewed")}}, "events"),
        ([event("product.viewed")], "body"),
    ],
)
def test_a_malformed_envelope_names_what_is_wrong(body: object, field: str) -> None:
    assert bad_field(body) == field


def test_a_batch_of_more_than_100_events_is_refused() -> None:
    events = [event("product.viewed", id=f"e{i}") for i in range(101)]
    assert bad_field({"events": events}) == "events"
    assert len(parse_event_batch({"events": events[:100]})) == 100


def test_the_internal_shipment_update_is_refused_on_the_public_api() -> None:
    update = {
        "id": "shopify:w1",
        "type": "order.shipment_updated",
        "occurred_at": "2026-11-21T10:00:00Z",
        "data": {"order_id": "o1", "status": "delivered", "shipment": {"carrier": "UPS"}},
    }
    assert bad_field(update) == "type"
    (parsed,) = parse_event_batch(update, internal=True)
    assert isinstance(parsed, ShipmentUpdatedEvent) and parsed.data.status == "delivered"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
event_like = st.fixed_dictionaries(
    {
        "id": json_values,
        "type": st.sampled_from([*VALID, "order.shipment_updated"]) | json_values,
        "occurred_at": st.sampled_from(["2026-11-20T10:00:00Z", "2026-11-20"]) | json_values,
        "data": st.builds(
            lambda valid, changes: {**valid, **changes},
            st.sampled_from(list(VALID.values())).map(copy.deepcopy),
            st.dictionaries(
                st.sampled_from(sorted({k for d in VALID.values() for k in d})), json_values
            ),
        )
        | json_values,
    }
)


@settings(max_examples=300, deadline=None)
@given(body=json_values | event_like | st.fixed_dictionaries({"events": st.lists(event_like)}))
def test_arbitrary_json_is_either_parsed_or_refused_with_a_bad_request(body: object) -> None:
    try:
        events = parse_event_batch(body)
    except BadRequestError as refused:
        assert refused.field
    else:
        assert 1 <= len(events) <= 100
