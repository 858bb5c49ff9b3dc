"""Unsubscribe links: a signed token per customer and channel, and what redeeming one does."""

from __future__ import annotations

import base64
import hashlib
import hmac

from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.followups import CONSENT_KEY
from chalicelib.domain.vocabulary import Channel, iso, utcnow
from chalicelib.store.customers import CustomerRepository
from chalicelib.store.profile_sync import record_consent_time

PURPOSE = b"tandem-unsubscribe:"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, customer_id: str, channel: str) -> str:
    message = PURPOSE + f"{customer_id}:{channel}".encode()
    return _b64(hmac.new(secret.encode(), message, hashlib.sha256).digest()[:18])


def unsubscribe_token(secret: str, customer_id: str, channel: Channel) -> str:
    """A token that unsubscribes this customer from marketing on this channel."""
    encoded = _b64(customer_id.encode())
    return f"{encoded}.{channel.value}.{_signature(secret, customer_id, channel.value)}"


def read_token(secret: str, token: str) -> tuple[str, Channel]:
    """The customer and channel a token names; 404 for anything not signed by us."""
    try:
        encoded, channel, signature = token.split(".")
        customer_id = _unb64(encoded).decode()
        expected = _signature(secret, customer_id, channel)
        if hmac.compare_digest(signature, expected):
            return customer_id, Channel(channel)
    except (ValueError, UnicodeDecodeError):
        pass
    raise NotFoundError("unknown unsubscribe link")


def unsubscribe_url(base_url: str, secret: str, customer_id: str, channel: Channel) -> str:
    """The public link (and `List-Unsubscribe` target) for this customer and channel."""
    return f"{base_url}/unsubscribe/{unsubscribe_token(secret, customer_id, channel)}"


def withdraw_consent(customers: CustomerRepository, customer_id: str, channel: Channel) -> None:
    """Marketing consent off for this channel on the profile (404 for an unknown customer)."""
    if not customers.exists(customer_id):
        raise NotFoundError("unknown unsubscribe link")
    consent = dict(customers.load(customer_id).profile.get("consent") or {})
    consent[CONSENT_KEY[channel]] = False
    customers.save_profile(customer_id, {"consent": consent})
    # The customer's own word, now: a store event from before it never gives the consent back.
    record_consent_time(customers.table, customer_id, CONSENT_KEY[channel], iso(utcnow()))


def unsubscribe_page(done: bool) -> str:
    """The page the link opens: a button that unsubscribes (a GET alone changes nothing)."""
    if done:
        body = "<h1>You're unsubscribed</h1><p>You won't get marketing messages from us here.</p>"
    else:
        body = (
            "<h1>Unsubscribe?</h1><p>Stop marketing messages from us on this channel.</p>"
            # No action: the form posts to this page's own URL. Nothing of the URL is echoed.
            '<form method="post">'
            '<button type="submit">Unsubscribe</button></form>'
        )
    return f'<!DOCTYPE html><html><body style="font-family:sans-serif">{body}</body></html>'
