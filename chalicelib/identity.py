"""Who sent a message: the identities a channel proves, resolved to one customer profile."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.messages import Channel, InboundMessage
from chalicelib.store.customers import CustomerRepository


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
