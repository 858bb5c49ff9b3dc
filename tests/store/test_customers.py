"""The customer store on moto server: unique identities, ordered updates, one-query loads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from chalicelib.store.customers import CustomerRepository
from chalicelib.store.table import Table
from dev import resources


@pytest.fixture
def customers(moto_clean: str) -> CustomerRepository:
    resources.create_table(moto_clean)
    dynamodb = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=moto_clean)
    return CustomerRepository(Table(dynamodb, resources.TABLE))


def order(updated: str, status: str) -> dict[str, object]:
    return {
        "order_id": "o1",
        "order_number": "1001",
        "status": status,
        "placed_at": "2026-11-20T10:00:00.000Z",
        "items": [],
        "total": 30,
        "currency": "USD",
        "updated": updated,
    }


def test_an_identity_belongs_to_the_first_customer_who_claims_it(
    customers: CustomerRepository,
) -> None:
    assert customers.claim("email", "ava@example.com", "c1") == "c1"
    assert customers.claim("email", "ava@example.com", "c2") == "c1"
    assert customers.resolve("email", "ava@example.com") == "c1"


def test_concurrent_resolution_of_one_new_identity_creates_one_profile(
    customers: CustomerRepository,
) -> None:
    def resolve(_: int) -> str:
        return customers.resolve_or_create([("phone", "+14155550100")], lead=True)

    with ThreadPoolExecutor(max_workers=8) as pool:
        owners = set(pool.map(resolve, range(16)))
    assert len(owners) == 1
    assert customers.resolve("phone", "+14155550100") in owners


def test_an_older_order_update_never_overwrites_a_newer_one(customers: CustomerRepository) -> None:
    assert customers.save_order("c1", order("b", "shipped"), "2026-11-21T00:00:00.000Z")
    assert not customers.save_order("c1", order("a", "processing"), "2026-11-20T00:00:00.000Z")
    assert customers.save_order("c1", order("c", "delivered"), "2026-11-22T00:00:00.000Z")
    assert [o.status for o in customers.load("c1").orders] == ["delivered"]


def test_one_query_loads_profile_orders_cart_and_events(customers: CustomerRepository) -> None:
    customers.save_profile("c1", {"first_name": "Ava", "email": "ava@example.com"})
    customers.save_order("c1", order("b", "shipped"), "2026-11-21T00:00:00.000Z")
    customers.save_cart(
        "c1", {"items": [], "total": 0, "currency": "USD"}, "2026-11-21T00:00:00.000Z"
    )
    customers.add_event("c1", "e1", "product.viewed", {"sku": "TEE"})
    customers.set_thread("c1", "sms", "+14155550100", "conv_1")
    bundle = customers.load("c1")
    assert bundle.first_name == "Ava"
    assert [o.order_number for o in bundle.orders] == ["1001"]
    assert bundle.cart is not None and bundle.events[0]["data"] == {"sku": "TEE"}
    assert bundle.threads == {"sms#+14155550100": "conv_1"}


def test_profile_updates_keep_fields_not_given(customers: CustomerRepository) -> None:
    customers.save_profile("c1", {"first_name": "Ava", "loyalty_tier": "gold"})
    customers.save_profile("c1", {"first_name": "Ava", "loyalty_tier": None, "last_name": "Lee"})
    assert customers.load("c1").profile["loyalty_tier"] == "gold"
