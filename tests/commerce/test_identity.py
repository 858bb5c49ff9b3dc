"""The worker's sender lookup: a warm process skips the identity read, and never trusts it blindly."""

from __future__ import annotations

from collections import Counter

import boto3
import pytest

from chalicelib.commerce.identity import SenderResolver
from chalicelib.domain.messages import Channel, InboundMessage
from chalicelib.store import keys
from chalicelib.store.customers import CustomerRepository
from chalicelib.store.table import Table
from dev import resources

PHONE = "+14155550188"


@pytest.fixture
def counted(moto_clean: str) -> tuple[SenderResolver, Counter[str]]:
    resources.create_table(moto_clean)
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=moto_clean)
    calls: Counter[str] = Counter()
    client.meta.events.register("before-call.*.*", lambda model, **_: calls.update([model.name]))
    return SenderResolver(CustomerRepository(Table(client, resources.TABLE))), calls


def sms(sender: str = PHONE) -> InboundMessage:
    return InboundMessage(
        channel=Channel.SMS,
        source="twilio",
        external_id="SM1",
        sender=sender,
        text="hi",
        verified=True,
    )


def test_a_sender_seen_before_is_loaded_without_reading_the_identity_again(
    counted: tuple[SenderResolver, Counter[str]],
) -> None:
    resolver, calls = counted
    first = resolver.load(sms())
    assert first.profile["phone"] == PHONE  # a new lead
    calls.clear()
    again = resolver.load(sms())
    assert again.customer_id == first.customer_id
    assert calls == Counter({"Query": 1})  # the customer partition, no identity GetItem


def test_a_remembered_sender_merged_since_is_loaded_as_the_survivor(
    counted: tuple[SenderResolver, Counter[str]],
) -> None:
    resolver, _ = counted
    customers = resolver.customers
    lead = resolver.load(sms()).customer_id
    customers.save_profile("c-store", {"first_name": "Ava", "customer_id": "c-store"})
    customers.merger.merge(lead, "c-store")
    assert resolver.load(sms()).customer_id == "c-store"


def test_a_remembered_profile_that_is_gone_is_looked_up_again(
    counted: tuple[SenderResolver, Counter[str]],
) -> None:
    resolver, calls = counted
    customers = resolver.customers
    lead = resolver.load(sms()).customer_id
    customers.table.delete(keys.customer_pk(lead), keys.PROFILE)
    customers.table.delete(keys.identity_pk("phone", PHONE), keys.IDENTITY)
    calls.clear()
    fresh = resolver.load(sms())
    assert fresh.customer_id != lead and fresh.profile["phone"] == PHONE
    assert calls["GetItem"] >= 1  # back to the identity index
