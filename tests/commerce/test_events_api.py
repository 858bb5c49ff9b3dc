"""POST /events and the customer lookups, through the API on moto server."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.harness import Pipeline

STORE = {"X-Api-Key": "dev-store-key"}
HELPDESK = {"X-Api-Key": "dev-helpdesk-key"}
AVA = {"email": "Ava@Example.com"}
NOW = "2026-11-24T10:00:00Z"


def event(id_: str, type_: str, data: dict[str, Any], at: str = NOW) -> dict[str, Any]:
    return {"id": id_, "type": type_, "occurred_at": at, "data": data}


def every_type() -> list[dict[str, Any]]:
    item = {"sku": "TEE-1", "name": "Linen tee", "quantity": 1, "price": 30}
    return [
        event(
            "e1",
            "customer.upserted",
            {
                **AVA,
                "phone": "+1 415 555 0123",
                "first_name": "Ava",
                "last_name": "Lee",
                "loyalty_tier": "gold",
                "loyalty_points": 10,
                "consent": {"email_marketing": True, "sms_marketing": False, "whatsapp": True},
            },
        ),
        event(
            "e2",
            "order.upserted",
            {
                "order_id": "o1",
                "order_number": "1001",
                "customer": AVA,
                "status": "shipped",
                "placed_at": "2026-11-20T10:00:00Z",
                "items": [item],
                "total": 30,
                "currency": "usd",
                "shipment": {
                    "carrier": "UPS",
                    "tracking_number": "1Z999",
                    "estimated_delivery": "2026-11-26",
                },
            },
        ),
        event(
            "e3",
            "cart.updated",
            {
                "customer": AVA,
                "items": [item],
                "total": 30,
                "currency": "USD",
                "checkout_url": "https://shop.example/cart/1",
            },
        ),
        event(
            "e4",
            "product.upserted",
            {
                "sku": "TEE-1",
                "name": "Linen tee",
                "description": "Soft",
                "price": 30,
                "currency": "USD",
                "url": "https://shop.example/tee",
                "categories": ["tops"],
                "in_stock": True,
            },
        ),
        event("e5", "product.viewed", {"customer": AVA, "sku": "TEE-1"}),
    ]


def customer(pipeline: Pipeline, query: str) -> Any:
    return pipeline.get(f"/customers?{query}", HELPDESK)


def test_every_event_type_lands_on_one_profile(pipeline: Pipeline) -> None:
    answer = pipeline.post_json("/events", {"events": every_type()}, STORE)
    assert answer.status_code == 202 and answer.json_body == {"accepted": 5, "duplicates": 0}
    profile = customer(pipeline, "email=ava@example.com").json_body
    assert (
        profile["profile"]["first_name"] == "Ava" and profile["profile"]["phone"] == "+14155550123"
    )
    assert (
        profile["orders"][0]["shipment"]["carrier"] == "UPS"
        and profile["orders"][0]["currency"] == "USD"
    )
    assert profile["cart"]["checkout_url"] == "https://shop.example/cart/1"
    assert profile["events"][0]["data"] == {"sku": "TEE-1"}
    assert (
        customer(pipeline, "phone=%2B14155550123").json_body["customer_id"]
        == profile["customer_id"]
    )
    assert pipeline.services.catalog.get("TEE-1")["name"] == "Linen tee"


def test_a_single_event_is_accepted_without_a_batch(pipeline: Pipeline) -> None:
    answer = pipeline.post_json("/events", every_type()[0], STORE)
    assert answer.status_code == 202 and answer.json_body["accepted"] == 1


def test_one_invalid_event_rejects_the_whole_batch_naming_index_and_field(
    pipeline: Pipeline,
) -> None:
    batch = every_type()
    batch[1]["data"]["status"] = "lost"
    answer = pipeline.post_json("/events", {"events": batch}, STORE)
    assert answer.status_code == 400
    assert answer.json_body["error"]["field"] == "events[1].data.status"
    assert customer(pipeline, "email=ava@example.com").status_code == 404


def test_bad_bodies_get_400_naming_the_problem(pipeline: Pipeline) -> None:
    cases = {
        b"not json": "body",
        b"[]": "body",
        json.dumps({"events": []}).encode(): "events",
        json.dumps({"events": every_type() * 21}).encode(): "events",
        json.dumps(event("", "customer.upserted", AVA)).encode(): "id",
        json.dumps(event("x", "order.deleted", {})).encode(): "type",
        json.dumps(
            event("x", "product.viewed", {"customer": {}, "sku": "A"})
        ).encode(): "data.customer",
        json.dumps(event("x", "customer.upserted", {"email": "nope"})).encode(): "data.email",
    }
    for body, field in cases.items():
        answer = pipeline.client.http.post(
            "/events", headers={**STORE, "Content-Type": "application/json"}, body=body
        )
        assert answer.status_code == 400, body
        assert answer.json_body["error"]["field"] == field, (body, answer.json_body)


def test_oversized_body_gets_413(pipeline: Pipeline) -> None:
    big = {
        "events": [
            event(
                "x",
                "product.upserted",
                {
                    "sku": "A",
                    "name": "n",
                    "description": "x" * 300_000,
                    "price": 1,
                    "currency": "USD",
                },
            )
        ]
    }
    assert pipeline.post_json("/events", big, STORE).status_code == 413


def test_missing_or_wrong_api_key_gets_401(pipeline: Pipeline) -> None:
    for headers in ({}, {"X-Api-Key": "wrong"}, HELPDESK):
        assert pipeline.post_json("/events", every_type()[0], headers).status_code == 401
    assert pipeline.get("/customers?email=ava@example.com", STORE).status_code == 401


def test_customer_lookups_validate_their_query(pipeline: Pipeline) -> None:
    assert customer(pipeline, "").status_code == 400
    assert customer(pipeline, "email=not-an-email").json_body["error"]["field"] == "email"
    assert customer(pipeline, "phone=12").status_code == 400
    assert pipeline.get("/customers/nobody", HELPDESK).status_code == 404


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
shaped = st.fixed_dictionaries(
    {
        "id": json_values,
        "type": st.sampled_from([e["type"] for e in every_type()]),
        "occurred_at": json_values,
        "data": json_values,
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=json_values | shaped | st.fixed_dictionaries({"events": st.lists(shaped, max_size=3)}))
def test_arbitrary_json_never_gets_a_500(pipeline: Pipeline, body: Any) -> None:
    answer = pipeline.post_json("/events", body, STORE)
    assert answer.status_code in (202, 400), answer.body
