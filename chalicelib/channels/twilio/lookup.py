"""Whether a create that timed out reached Twilio: find the message it made, before sending again.

Twilio's Messages create has no idempotency key. A read timeout is ambiguous: Twilio may have
accepted the message and answered late. The message list (`GET Messages.json`, newest first,
filtered by `To` and `From`) shows it: the same body to the same address, created since the attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

PAGE_SIZE = 50
CLOCK_SKEW = timedelta(seconds=60)  # Twilio's clock against ours


def accepted_sid(
    client: Any,
    uri: str,
    form: dict[str, str],
    since: datetime,
    claim: Callable[[str], bool] | None = None,
) -> str | None:
    """The Sid of the message `form` created at or after `since`, if Twilio has one.

    Identical messages to one address (two outbox items, same words) are told apart by `claim`:
    the oldest candidate no other item has claimed is ours.
    """
    query = {"To": form["To"], "From": form["From"], "PageSize": PAGE_SIZE}
    page = client.fetch(uri, query)
    for message in reversed(page.get("messages") or []):  # oldest first
        if not (_same(message, form) and _created(message) >= since - CLOCK_SKEW):
            continue
        if claim is None or claim(str(message["sid"])):
            return str(message["sid"])
    return None


def _same(message: dict[str, Any], form: dict[str, str]) -> bool:
    """The listed message carries what we sent (a template's body is Twilio's rendering)."""
    if form.get("ContentSid"):
        return message.get("direction") == "outbound-api"
    return str(message.get("body") or "") == form.get("Body", "")


def _created(message: dict[str, Any]) -> datetime:
    """`date_created` (RFC 2822, as Twilio writes it)."""
    return parsedate_to_datetime(str(message.get("date_created")))
