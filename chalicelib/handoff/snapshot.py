"""The customer as a human sees them: profile, orders, cart, consent and what the channel allows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.conversations import Conversation
from chalicelib.domain.escalations import (
    ChannelConstraints,
    CustomerSnapshot,
    OrderSnapshot,
    Shipment,
)
from chalicelib.domain.profiles import CustomerBundle, Order
from chalicelib.domain.vocabulary import Author, Channel, iso

WHATSAPP_WINDOW = timedelta(hours=24)


def customer_snapshot(
    conversation: Conversation, bundle: CustomerBundle, now: datetime
) -> CustomerSnapshot:
    """Who the customer is, their orders, cart and consent, and what their channel allows."""
    profile = bundle.profile
    orders = bundle.orders_newest_first()
    name = " ".join(str(profile.get(k) or "") for k in ("first_name", "last_name")).strip()
    return CustomerSnapshot(
        customer_id=conversation.customer_id,
        name=name,
        email=profile.get("email"),
        phone=profile.get("phone"),
        tier=profile.get("loyalty_tier"),
        loyalty_points=profile.get("loyalty_points"),
        lifetime_value=bundle.lifetime_value(),
        open_orders=[_order(o) for o in orders if o.is_open],
        recent_orders=[_order(o) for o in orders if not o.is_open][:3],
        cart=bundle.cart,
        consent=profile.get("consent") or {},
        constraints=channel_constraints(conversation, profile, now),
    )


def channel_constraints(
    conversation: Conversation, profile: dict[str, Any], now: datetime
) -> ChannelConstraints:
    """WhatsApp's 24-hour window, an SMS opt-out and an unverified identity, spelled out."""
    found = ChannelConstraints(free_text_allowed=True, identity_verified=conversation.verified)
    if conversation.channel is Channel.WHATSAPP:
        closes = _whatsapp_window_closes(conversation)
        found.whatsapp_window_open = closes is not None and now < closes
        found.whatsapp_window_closes_at = iso(closes) if closes else None
        found.free_text_allowed = found.whatsapp_window_open
        if not found.whatsapp_window_open:
            found.notes.append("WhatsApp window closed: your reply goes out as the store template.")
    if conversation.channel is Channel.SMS and _sms_opted_out(profile):
        found.sms_opted_out, found.free_text_allowed = True, False
        found.notes.append(
            "The customer replied STOP: no SMS can reach them until they send START."
        )
    if not conversation.verified:
        found.notes.append(
            "Identity not verified: confirm who they are before sharing order details."
        )
    return found


def _whatsapp_window_closes(conversation: Conversation) -> datetime | None:
    """24 hours after the customer's last message (META `last_customer_at`, else the transcript)."""
    recorded = getattr(conversation, "last_customer_at", None)  # set by the Twilio channel
    last = (
        recorded
        or conversation.meta.get("last_customer_at")
        or next(
            (m.created_at for m in reversed(conversation.messages) if m.author is Author.CUSTOMER),
            None,
        )
    )
    return (
        datetime.fromisoformat(str(last).replace("Z", "+00:00")) + WHATSAPP_WINDOW if last else None
    )


def _sms_opted_out(profile: dict[str, Any]) -> bool:
    """The profile's `opt_out`: true, or a list/map naming sms."""
    opt_out = profile.get("opt_out")
    if isinstance(opt_out, dict):
        return bool(opt_out.get("sms"))
    if isinstance(opt_out, list):
        return "sms" in opt_out
    return bool(opt_out)


def _order(order: Order) -> OrderSnapshot:
    """An order with only the shipment fields the packet documents."""
    found = order.model_dump()
    shipment = order.shipment or {}
    found["shipment"] = {k: shipment.get(k) for k in Shipment.model_fields} if shipment else None
    return OrderSnapshot.model_validate(found)
