"""The customer context holds what the common questions need, for the verified customer only."""

from __future__ import annotations

from typing import Any

from chalicelib.agent.customer_context import UNVERIFIED, describe_customer
from chalicelib.domain.profiles import CustomerBundle, Order


def order(number: str, status: str, placed: str, **shipment: Any) -> Order:
    items = [{"sku": "TEE-LINEN-M", "name": "Linen tee", "quantity": 2, "price": 30}]
    return Order(
        order_id=f"o-{number}",
        order_number=number,
        status=status,
        placed_at=placed,
        items=items,
        shipment=shipment or None,
    )


def ava(*orders: Order, cart: dict[str, Any] | None = None) -> CustomerBundle:
    profile = {"first_name": "Ava", "loyalty_tier": "gold", "loyalty_points": 1200}
    return CustomerBundle(customer_id="cust-ava", profile=profile, orders=list(orders), cart=cart)


SHIPPED = order(
    "1001",
    "shipped",
    "2026-11-20T10:00:00Z",
    carrier="UPS",
    tracking_number="1Z999AA10123456784",
    estimated_delivery="2026-11-26",
)
DELIVERED = order(
    "987", "delivered", "2026-10-10T10:00:00Z", carrier="USPS", tracking_number="94001"
)


def test_open_orders_carry_status_carrier_tracking_eta_and_items() -> None:
    text = describe_customer(ava(SHIPPED, DELIVERED), verified=True)
    assert "tier gold (1200 points)" in text and "2 orders (1 open)" in text
    line = next(line for line in text.splitlines() if "#1001" in line)
    for fact in ("shipped", "UPS", "1Z999AA10123456784", "ETA 2026-11-26", "Linen tee x2"):
        assert fact in line
    assert "#987" not in text  # a closed order is left to lookup_orders when one is open


def test_the_latest_order_is_described_when_none_is_open() -> None:
    text = describe_customer(ava(DELIVERED), verified=True)
    assert "Latest order: #987 delivered" in text and "ETA" not in text


def test_the_cart_is_described_with_its_total() -> None:
    cart = {"items": [{"name": "Wrap dress", "quantity": 1}], "total": 120, "currency": "USD"}
    assert "Cart: Wrap dress; total 120 USD." in describe_customer(ava(cart=cart), verified=True)


def test_many_open_orders_are_capped_and_say_how_to_see_the_rest() -> None:
    many = [order(str(1000 + n), "processing", f"2026-11-{10 + n}T10:00:00Z") for n in range(5)]
    text = describe_customer(ava(*many), verified=True)
    assert [n for n in ("1004", "1003", "1002") if f"#{n}" in text] == ["1004", "1003", "1002"]
    assert "#1000" not in text and "2 more open: lookup_orders" in text


def test_an_unverified_sender_gets_no_personal_data() -> None:
    text = describe_customer(ava(SHIPPED, cart={"items": [{"name": "x"}], "total": 5}), False)
    assert text == UNVERIFIED and "1001" not in text and "Ava" not in text
