"""Customers: profiles, identities, orders, cart, events and threads in the customer partition."""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.domain.profiles import CustomerBundle, Order
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.linker import link
from chalicelib.store.merge import ProfileMerger, identity_marker, redirect_of
from chalicelib.store.table import Item, Table, ttl_in, without_keys

EVENT_TTL_SECONDS = 90 * 86400
NEWER_OR_ABSENT = "attribute_not_exists(PK) OR updated_at <= :updated_at"


def new_customer_id() -> str:
    """A fresh internal customer id."""
    return f"c_{uuid.uuid4().hex[:20]}"


class CustomerRepository:
    """Reads and writes the customer partition and the identity index."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.merger = ProfileMerger(table)

    def load(self, customer_id: str) -> CustomerBundle:
        """Profile, orders, cart, events, follow-ups and threads in one Query (after redirects)."""
        items = self.table.query(keys.customer_pk(customer_id))
        profile = next((item for item in items if item["SK"] == keys.PROFILE), None)
        if redirect_of(profile):  # a merged profile: read the survivor instead
            customer_id = self.final_id(customer_id)
            items = self.table.query(keys.customer_pk(customer_id))
        bundle = CustomerBundle(customer_id=customer_id)
        for item in items:
            _place(bundle, item)
        return bundle

    def final_id(self, customer_id: str) -> str:
        """The id a (possibly merged) customer id redirects to; itself when not merged."""
        return self.merger.final(customer_id)[0]

    def exists(self, customer_id: str) -> bool:
        """A profile exists for this id."""
        return self.table.get(keys.customer_pk(customer_id), keys.PROFILE) is not None

    def owner(self, kind: str, value: str) -> str | None:
        """The customer id an identity was given to (maybe merged since: `load` follows)."""
        item = self.table.get(keys.identity_pk(kind, value), keys.IDENTITY)
        return str(item["customer_id"]) if item else None

    def resolve(self, kind: str, value: str) -> str | None:
        """The customer id an identity belongs to, or None."""
        owner = self.owner(kind, value)
        return self.final_id(owner) if owner else None

    def claim(self, kind: str, value: str, customer_id: str) -> str:
        """Give an identity to a customer unless taken; returns the id that owns it."""
        item = {
            "PK": keys.identity_pk(kind, value),
            "SK": keys.IDENTITY,
            "customer_id": customer_id,
        }
        item.update(kind=kind, value=value, created_at=iso(utcnow()))
        new = "attribute_not_exists(PK)"
        marker = identity_marker(customer_id, kind, value)
        if self.table.transact(
            [{"Put": {"Item": item, "ConditionExpression": new}}, {"Put": {"Item": marker}}]
        ):
            return customer_id
        return self.resolve(kind, value) or customer_id

    def resolve_or_create(self, identities: list[tuple[str, str]], **profile: Any) -> str:
        """The customer these identities name; merges profiles they link, creates a lead if none."""
        linked = link(self, identities)
        if linked.customer_id:
            self._claim_missing(linked.unclaimed, linked.customer_id)
            return linked.customer_id
        customer_id = profile.pop("customer_id", None) or new_customer_id()
        self.save_profile(customer_id, profile)
        if not linked.unclaimed:
            return customer_id
        owner = self.claim(*linked.unclaimed[0], customer_id)
        self._claim_missing(linked.unclaimed[1:], owner)
        return owner

    def _claim_missing(self, identities: list[tuple[str, str]], customer_id: str) -> None:
        for kind, value in identities:
            self.claim(kind, value, customer_id)

    def save_profile(self, customer_id: str, fields: dict[str, Any]) -> None:
        """Create or update profile fields (None values are left as they were)."""
        now = iso(utcnow())
        values = {k: v for k, v in fields.items() if v is not None}
        if "customer_id" in values:  # the store's id; ours is the partition key
            values["store_customer_id"] = values.pop("customer_id")
        values["updated_at"] = now
        names = {f"#{i}": name for i, name in enumerate(values)}
        sets = [f"#{i} = :{i}" for i in range(len(values))]
        attrs = {f":{i}": value for i, value in enumerate(values.values())}
        attrs[":created"], attrs[":cid"] = now, customer_id
        expression = "SET " + ", ".join([*sets, "created_at = if_not_exists(created_at, :created)"])
        expression += ", customer_id = :cid"
        self.table.update(
            keys.customer_pk(customer_id),
            keys.PROFILE,
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=attrs,
        )

    def save_order(self, customer_id: str, order: dict[str, Any], updated_at: str) -> bool:
        """Write an order unless a newer version is stored; False when it was older."""
        sk = keys.order_sk(order["placed_at"], order["order_id"])
        item = {"PK": keys.customer_pk(customer_id), "SK": sk, "kind": "order", **order}
        item["updated_at"] = updated_at
        if not self.table.put(item, NEWER_OR_ABSENT, updated_at=updated_at):
            return False
        ref = {"PK": keys.order_ref_pk(order["order_id"]), "SK": "ORDERREF", "sk": sk}
        self.table.put({**ref, "customer_id": customer_id, "order_number": order["order_number"]})
        return True

    def find_order(self, order_id: str) -> tuple[str, Item] | None:
        """The customer id and stored order for a store order id, or None."""
        ref = self.table.get(keys.order_ref_pk(order_id), "ORDERREF")
        if not ref:
            return None
        customer_id = self.final_id(str(ref["customer_id"]))
        order = self.table.get(keys.customer_pk(customer_id), ref["sk"])
        return (customer_id, order) if order else None

    def save_cart(self, customer_id: str, cart: dict[str, Any], updated_at: str) -> bool:
        """Write the open cart unless a newer one is stored."""
        item = {"PK": keys.customer_pk(customer_id), "SK": keys.CART, "kind": "cart", **cart}
        item["updated_at"] = updated_at
        return self.table.put(item, NEWER_OR_ABSENT, updated_at=updated_at)

    def add_event(self, customer_id: str, event_id: str, kind: str, data: dict[str, Any]) -> None:
        """Record a recent event (a product view, an interest) on the timeline, with a TTL."""
        now = iso(utcnow())
        item: Item = {"PK": keys.customer_pk(customer_id), "SK": keys.event_sk(now, event_id)}
        item.update(
            kind="event", type=kind, data=data, at=now, expires_at=ttl_in(EVENT_TTL_SECONDS)
        )
        self.table.put(item)

    def set_thread(
        self, customer_id: str, channel: str, address: str, conversation_id: str
    ) -> None:
        """Point the customer's channel address at its current conversation."""
        self.put_thread(thread_item(customer_id, channel, address, conversation_id))

    def put_thread(self, item: Item) -> None:
        """Store a thread pointer made by `thread_item`."""
        self.table.put(item)


def thread_item(customer_id: str, channel: str, address: str, conversation_id: str) -> Item:
    """The item pointing a customer's channel address at its current conversation."""
    item = {"PK": keys.customer_pk(customer_id), "SK": keys.thread_sk(channel, address)}
    return {**item, "kind": "thread", "conversation_id": conversation_id}


def _place(bundle: CustomerBundle, item: Item) -> None:
    """Put one item of the customer partition where it belongs in the bundle."""
    sk = str(item["SK"])
    if sk == keys.PROFILE:
        bundle.profile = without_keys(item)
    elif sk.startswith("ORDER#"):
        bundle.orders.append(Order.model_validate(without_keys(item)))
    elif sk == keys.CART:
        bundle.cart = without_keys(item)
    elif sk.startswith("EVENT#"):
        bundle.events.append(without_keys(item))
    elif sk.startswith("FOLLOWUP#"):
        bundle.followups.append(without_keys(item))
    elif sk.startswith("THREAD#"):
        bundle.threads[sk.removeprefix("THREAD#")] = str(item["conversation_id"])
    elif sk.startswith("IDENT#"):
        bundle.identities.append({"kind": item["identity_kind"], "value": item["value"]})
    elif sk.startswith("MERGED#"):
        bundle.merged_ids.append(str(item["merged_id"]))
