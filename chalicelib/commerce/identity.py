"""Who sent a message: the identities a channel proves, resolved to one customer profile."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from chalicelib.domain.messages import Channel, InboundMessage
from chalicelib.domain.profiles import CustomerBundle
from chalicelib.store.customers import CustomerRepository

REMEMBERED = 10_000  # identities a warm worker keeps (a few MB at most)


def sender_identities(message: InboundMessage) -> list[tuple[str, str]]:
    """The identities of a sender, strongest first; unverified ones live in their own namespace."""
    if message.customer and message.verified:
        ref = message.customer
        found = [("customer", ref.customer_id), ("email", ref.email), ("phone", ref.phone)]
        return [(kind, value) for kind, value in found if value]
    if message.channel is Channel.SMS:
        return [("phone", message.sender)]
    if message.channel is Channel.WHATSAPP:
        return [("whatsapp", message.sender), ("phone", message.sender.removeprefix("whatsapp:"))]
    if message.channel is Channel.EMAIL:
        kind = "email" if message.verified else "unverified_email"
        return [(kind, message.sender.lower())]
    return [("visitor", str(message.meta.get("visitor_id") or message.sender))]


def resolve_sender(customers: CustomerRepository, message: InboundMessage) -> str:
    """The customer id of a message's sender; a new lead profile when nobody knows them."""
    identities = sender_identities(message)
    profile: dict[str, Any] = {"lead": True, "source_channel": message.channel.value}
    if message.channel in (Channel.SMS, Channel.WHATSAPP):
        profile["phone"] = message.sender.removeprefix("whatsapp:")
    if message.channel is Channel.EMAIL and message.verified:
        profile["email"] = message.sender.lower()
    return customers.resolve_or_create(identities, **profile)


class SenderResolver:
    """A message's customer, loaded; remembers per process whom a sender's one identity names.

    The remembered id is only a hint: loading it follows merge redirects, and a profile that
    is gone sends the lookup back to the identity index.
    """

    def __init__(self, customers: CustomerRepository, capacity: int = REMEMBERED) -> None:
        self.customers = customers
        self.capacity = capacity
        self.known: OrderedDict[tuple[str, str], str] = OrderedDict()
        self.lock = threading.Lock()  # concurrent turns of one process share it

    def load(self, message: InboundMessage) -> CustomerBundle:
        """The sender's customer bundle, after redirects (a new lead when nobody knows them)."""
        identities = sender_identities(message)
        key = identities[0] if len(identities) == 1 else None
        with self.lock:
            hint = self.known.get(key) if key else None
        if key and hint:
            bundle = self.customers.load(hint)
            if bundle.profile:
                return self._keep(key, bundle)
        owner = self.customers.owner(*key) if key else None
        bundle = self.customers.load(owner or resolve_sender(self.customers, message))
        return self._keep(key, bundle)

    def _keep(self, key: tuple[str, str] | None, bundle: CustomerBundle) -> CustomerBundle:
        """Remember whom `key` named (the least recently used go first)."""
        if key:
            with self.lock:
                self.known[key] = bundle.customer_id
                self.known.move_to_end(key)
                while len(self.known) > self.capacity:
                    self.known.popitem(last=False)
        return bundle
