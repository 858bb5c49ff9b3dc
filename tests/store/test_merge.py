"""Profile merges on moto server: what moves, what redirects, what never merges, twice and racing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from chalicelib.domain.conversations import Conversation
from chalicelib.domain.followups import FollowUp
from chalicelib.domain.messages import Channel
from chalicelib.store import keys
from chalicelib.store.customers import CustomerRepository
from chalicelib.store.followups import FollowUpRepository
from chalicelib.store.table import Table
from tests.harness import Pipeline

EMAIL, PHONE = ("email", "kim@example.com"), ("phone", "+14155550188")


def repository(pipeline: Pipeline) -> CustomerRepository:
    """A repository with its own boto3 client (one per thread)."""
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=pipeline.moto_url)
    return CustomerRepository(Table(client, "tandem"))


def order(order_id: str, placed_at: str = "2026-11-01T10:00:00Z") -> dict[str, Any]:
    return {
        "order_id": order_id,
        "order_number": order_id[-4:],
        "status": "placed",
        "placed_at": placed_at,
        "items": [],
        "total": 10,
        "currency": "USD",
    }


def lead_with_history(pipeline: Pipeline) -> str:
    """A lead created by an SMS: a thread, a conversation, an order, a cart, events, a follow-up."""
    customers = pipeline.services.customers
    lead = customers.resolve_or_create([PHONE], lead=True, phone=PHONE[1])
    conversation = Conversation(
        conversation_id="conv-sms",
        channel=Channel.SMS,
        address=PHONE[1],
        customer_id=lead,
        created_at="2026-11-02T10:00:00.000Z",
    )
    pipeline.services.conversations.create(conversation)
    customers.set_thread(lead, "sms", PHONE[1], "conv-sms")
    customers.save_order(lead, order("o-lead"), "2026-11-01T10:00:00+00:00")
    customers.save_cart(lead, {"items": [], "total": 0, "currency": "USD"}, "2026-11-03T00:00:00Z")
    customers.add_event(lead, "ev-1", "interest", {"sku": "TEE-1"})
    followup = {"PK": keys.customer_pk(lead), "SK": keys.followup_sk("f-1"), "customer_id": lead}
    customers.table.put({**followup, "kind": "followup", "status": "scheduled"})
    customers.table.update(
        keys.customer_pk(lead),
        keys.PROFILE,
        UpdateExpression="SET opt_out = :o",
        ExpressionAttributeValues={":o": {"sms": True}},
    )
    return lead


def store_customer(pipeline: Pipeline, store_id: str, *identities: tuple[str, str]) -> str:
    customers = pipeline.services.customers
    found = customers.resolve_or_create([("customer", store_id), *identities], customer_id=store_id)
    customers.save_profile(found, {"customer_id": store_id, "lead": False})
    return found


def test_an_order_naming_the_email_of_one_and_the_phone_of_another_merges_them(
    pipeline: Pipeline,
) -> None:
    lead = lead_with_history(pipeline)
    known = store_customer(pipeline, "9001", EMAIL)
    customers = pipeline.services.customers
    assert customers.resolve_or_create([EMAIL, PHONE]) == known
    bundle = customers.load(lead)
    assert bundle.customer_id == known and bundle.merged_ids == [lead]
    assert [o.order_id for o in bundle.orders] == ["o-lead"] and bundle.cart is not None
    assert [e["type"] for e in bundle.events] == ["interest"]
    assert bundle.followups[0]["customer_id"] == known
    assert bundle.threads == {f"sms#{PHONE[1]}": "conv-sms"}
    assert {"kind": "phone", "value": PHONE[1]} in bundle.identities
    assert bundle.profile["opt_out"] == {"sms": True}  # an opt-out survives the merge
    assert customers.find_order("o-lead")[0] == known
    # The redirect keeps where it points, not the person: the survivor holds the one copy.
    redirect = customers.table.get(keys.customer_pk(lead), keys.PROFILE)
    assert redirect is not None and redirect["merged_into"] == known
    kept = set(redirect) - {"PK", "SK", "kind", "customer_id", "created_at"}
    assert kept == {"merged_into", "merged_at"}, redirect
    assert bundle.profile["phone"] == PHONE[1]
    assert pipeline.services.conversations.load("conv-sms").customer_id == known
    assert [c["conversation_id"] for c in pipeline.services.conversations.for_customer(known)] == [
        "conv-sms"
    ]
    assert customers.table.query(keys.customer_pk(lead)) == [
        customers.table.get(keys.customer_pk(lead), keys.PROFILE)
    ]


def test_merging_twice_changes_nothing_more(pipeline: Pipeline) -> None:
    lead = lead_with_history(pipeline)
    known = store_customer(pipeline, "9001", EMAIL)
    customers = pipeline.services.customers
    customers.merger.merge(lead, known)
    before = customers.load(known)
    assert customers.merger.merge(lead, known) == known
    assert customers.merger.merge(known, lead) == known
    assert customers.load(known) == before


def test_a_merge_interrupted_after_its_lock_is_finished_by_the_next_lookup(
    pipeline: Pipeline,
) -> None:
    lead = lead_with_history(pipeline)
    known = store_customer(pipeline, "9001", EMAIL)
    customers = pipeline.services.customers
    assert customers.merger._lock(lead, known)  # then the process died
    assert customers.resolve(*PHONE) == known
    assert [o.order_id for o in customers.load(known).orders] == ["o-lead"]
    assert customers.table.get(keys.customer_pk(lead), keys.PROFILE)["merged_into"] == known


def test_racing_merges_in_both_directions_leave_one_survivor(pipeline: Pipeline) -> None:
    lead = lead_with_history(pipeline)
    other = pipeline.services.customers.resolve_or_create([EMAIL], lead=True)
    pairs = [(lead, other), (other, lead)] * 3
    with ThreadPoolExecutor(len(pairs)) as pool:
        results = list(pool.map(lambda p: repository(pipeline).merger.merge(*p), pairs))
    assert len(set(results)) == 1
    survivor = results[0]
    absorbed = other if survivor == lead else lead
    customers = pipeline.services.customers
    assert customers.resolve(*EMAIL) == customers.resolve(*PHONE) == survivor
    assert customers.load(absorbed).customer_id == survivor
    assert [o.order_id for o in customers.load(survivor).orders] == ["o-lead"]


def test_two_customers_the_store_names_differently_are_never_merged(pipeline: Pipeline) -> None:
    first = store_customer(pipeline, "9001", EMAIL)
    second = store_customer(pipeline, "9002", PHONE)
    customers = pipeline.services.customers
    assert customers.resolve_or_create([("customer", "9001"), EMAIL, PHONE]) == first
    assert customers.resolve(*PHONE) == second
    assert customers.load(second).merged_ids == [] and customers.load(first).merged_ids == []


def test_an_unverified_email_never_merges_or_finds_the_customer(pipeline: Pipeline) -> None:
    known = store_customer(pipeline, "9001", EMAIL)
    customers = pipeline.services.customers
    stranger = customers.resolve_or_create([("unverified_email", EMAIL[1])], lead=True)
    assert stranger != known
    texted = customers.resolve_or_create([("unverified_email", EMAIL[1]), PHONE])
    assert texted not in {known, stranger}  # an unverified claim links nothing
    assert customers.load(known).merged_ids == customers.load(stranger).merged_ids == []


def test_a_shared_browser_never_merges_two_customers(pipeline: Pipeline) -> None:
    customers = pipeline.services.customers
    first = store_customer(pipeline, "9001", EMAIL, ("visitor", "family-laptop"))
    second = customers.resolve_or_create([("customer", "9002"), ("visitor", "family-laptop")])
    assert second != first
    assert customers.resolve("customer", "9002") == second
    assert customers.resolve("visitor", "family-laptop") == first


def test_a_phone_shared_with_another_store_customer_attaches_nothing_to_them(
    pipeline: Pipeline,
) -> None:
    parent = store_customer(pipeline, "9001", PHONE)
    customers = pipeline.services.customers
    child = customers.resolve_or_create([("customer", "9002"), EMAIL, PHONE], customer_id="9002")
    assert child != parent
    assert customers.resolve(*PHONE) == parent and customers.resolve(*EMAIL) == child


def test_a_scheduled_follow_up_of_a_merged_profile_is_found_by_its_old_id(
    pipeline: Pipeline,
) -> None:
    lead = pipeline.services.customers.resolve_or_create([PHONE], lead=True)
    records = FollowUpRepository(pipeline.services.table)
    followup = FollowUp(
        followup_id="fu-1",
        customer_id=lead,
        sku="TEE-1",
        requested_channel="sms",
        channel=Channel.SMS,
        due_at="2026-12-01T10:00:00Z",
    )
    assert records.create(followup)
    known = store_customer(pipeline, "9001", EMAIL)
    pipeline.services.customers.resolve_or_create([EMAIL, PHONE])
    found = records.get(lead, "fu-1")  # what the schedule's Input still names
    assert found is not None and found.customer_id == known and found.status == "scheduled"
    assert records.pending_for(known, "TEE-1") == found
