"""Dedupe keys: a provider's delivery id written once, with the delivery kept beside it (TTL)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.errors import TransientError
from chalicelib.domain.vocabulary import iso, utcnow
from chalicelib.runtime.observability import logger
from chalicelib.runtime.retry import retried
from chalicelib.store import keys
from chalicelib.store.table import Table, ttl_in

SEEN_TTL_SECONDS = 7 * 86400


class DedupeStore:
    """Records which provider deliveries were already accepted."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def first_time(self, source: str, external_id: str, payload: dict[str, Any]) -> bool:
        """Record a delivery; False when it was recorded before (a duplicate)."""
        item: dict[str, Any] = {"PK": keys.seen_pk(source, external_id), "SK": keys.SEEN}
        item["payload"] = payload
        item.update(at=iso(utcnow()), expires_at=ttl_in(SEEN_TTL_SECONDS))
        return self.table.put_new(item)

    def forget(self, source: str, external_id: str) -> None:
        """Undo a record whose processing could not start, so a retry is accepted.

        Retried here: a record left behind would make the provider's retry look like a duplicate.
        """
        try:
            retried(lambda: self.table.delete(keys.seen_pk(source, external_id), keys.SEEN))
        except TransientError:
            # The delivery is kept in the record's payload: redrive it by hand from there.
            logger.error(
                "delivery not queued and its dedupe record kept: a retry will be dropped",
                extra={"source": source, "external_id": external_id},
            )
            raise

    def already(self, source: str, external_id: str) -> bool:
        """A delivery was recorded and has not expired (moto never expires TTL items)."""
        item = self.table.get(keys.seen_pk(source, external_id), keys.SEEN)
        return item is not None and int(item.get("expires_at", 0)) > ttl_in(0)
