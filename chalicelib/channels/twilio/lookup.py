"""Whether a create that timed out reached Twilio: find the message it made, before sending again.

Twilio's Messages create has no idempotency key. A read timeout is ambiguous: Twilio may have
accepted the message and answered late. The message list (`GET Messages.json`, newest first,
filtered by `To` and `From`) shows it: the same body to the same address, created since the attempt.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

PAGE_SIZE = 50
CLOCK_SKEW = timedelta(seconds=60)  # Twilio's clock against ours


def accepted_sid(client: Any, uri: str, form: dict[str, str], since: datetime) -> str | None:
    """The Sid of the message `form` created at or after `since`, if Twilio has one."""
    query = {"To": form["To"], "From": form["From"], "PageSize": PAGE_SIZE}
    page = client.fetch("GET", uri, params=query)
    for message in page.get("messages") or []:
        if _same(message, form) and _created(message) >= since - CLOCK_SKEW:
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
