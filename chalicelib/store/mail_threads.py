"""The email thread index: Message-IDs we sent or received, each pointing to its conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.store import keys
from chalicelib.store.table import Table, ttl_in

# A customer may answer a months-old mail; after a year a reply simply starts a new conversation.
THREAD_TTL_SECONDS = 365 * 86400


def mail_id_key(message_id: str) -> str:
    """A Message-ID as an index key; SES ids by their local part (SES's domain varies by region)."""
    bare = message_id.strip().strip("<>").strip()
    local, at, domain = bare.rpartition("@")
    if not at:
        return bare
    if domain.lower().endswith("amazonses.com"):
        return f"ses:{local}"
    return f"{local}@{domain.lower()}"


@dataclass(frozen=True)
class ThreadOwner:
    """The conversation a Message-ID belongs to, with whom it talks to and whether they are proven."""

    conversation_id: str
    address: str
    verified: bool


class MailThreadIndex:
    """Reads and writes Message-ID -> conversation items."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def remember(
        self, message_id: str, conversation_id: str, address: str = "", verified: bool = False
    ) -> None:
        """Point a Message-ID at a conversation; the first conversation named keeps it."""
        key = mail_id_key(message_id)
        if not key:
            return
        item: dict[str, Any] = {"PK": keys.mail_id_pk(key), "SK": keys.MAIL_ID}
        item.update(conversation_id=conversation_id, address=address, verified=verified)
        item["expires_at"] = ttl_in(THREAD_TTL_SECONDS)
        self.table.put_new(item)

    def owner(self, message_id: str) -> ThreadOwner | None:
        """The conversation of a Message-ID, its address and verification as the conversation says."""
        key = mail_id_key(message_id)
        item = self.table.get(keys.mail_id_pk(key), keys.MAIL_ID) if key else None
        if item is None or int(item.get("expires_at", 0)) <= ttl_in(0):
            return None
        return self.conversation_owner(str(item["conversation_id"]), item)

    def conversation_owner(
        self, conversation_id: str, fallback: dict[str, Any] | None = None
    ) -> ThreadOwner | None:
        """Who a conversation talks to: its META, else what the index recorded before it existed."""
        meta = self.table.get(keys.conversation_pk(conversation_id), keys.META) or fallback
        if meta is None or not meta.get("address"):
            return None
        return ThreadOwner(conversation_id, str(meta["address"]), bool(meta.get("verified")))
