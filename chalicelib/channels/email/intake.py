"""Inbound email: each SES notification from the queue is dropped with a record, or threaded and ingested."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.channels.email.inbound import Dropped, FetchS3, read_inbound_email
from chalicelib.channels.email.threads import EmailThreads
from chalicelib.channels.ingest import Ingest
from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.messages import InboundMessage, iso, utcnow
from chalicelib.runtime.observability import logger
from chalicelib.store.dedupe import DedupeStore

SOURCE = "ses"
# The delivery record and the stored message are DynamoDB items (400 KB each), holding the visible
# text and the original: caps in UTF-8 bytes, since one emoji is four of them (S3 keeps it all).
MAX_TEXT_BYTES = 32_000
MAX_ORIGINAL_BYTES = 96_000


def utf8_prefix(text: str, limit: int) -> str:
    """The longest prefix of `text` whose UTF-8 encoding fits in `limit` bytes."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def fit_for_storage(message: InboundMessage) -> InboundMessage:
    """The message with its text and original capped so every item it is stored in fits."""
    original = str(message.meta.get("full_text") or "")
    meta = {**message.meta, "full_text": utf8_prefix(original, MAX_ORIGINAL_BYTES)}
    if meta["full_text"] != original:
        meta["full_text_truncated"] = True
    text = utf8_prefix(message.text, MAX_TEXT_BYTES)
    return message.model_copy(update={"text": text, "meta": meta})


def bucket_guard(fetch: FetchS3, bucket: str) -> FetchS3:
    """A fetcher that reads only the inbound-email bucket, whatever a notification names."""

    def fetch_own(name: str, key: str) -> bytes:
        if bucket and name != bucket:
            raise BadRequestError("the notification names another bucket", field="bucketName")
        return fetch(name, key)

    return fetch_own


class EmailIntake:
    """Turns SES receipt notifications into customer messages on the inbound queue."""

    def __init__(
        self,
        ingest: Ingest,
        threads: EmailThreads,
        dedupe: DedupeStore,
        *,
        own_address: str,
        fetch_s3: FetchS3 | None = None,
    ) -> None:
        self.ingest = ingest
        self.threads = threads
        self.dedupe = dedupe
        self.own_address = own_address
        self.fetch_s3 = fetch_s3

    def receive(self, body: str) -> str:
        """Handle one SQS body; returns what happened (accepted, duplicate, dropped:..., ignored)."""
        read = read_inbound_email(body, own_address=self.own_address, fetch_s3=self.fetch_s3)
        if read is None:
            return "ignored"
        if isinstance(read, Dropped):
            return self.drop(read)
        accepted = self.ingest.accept(self.threads.thread(fit_for_storage(read)))
        return "duplicate" if accepted.duplicate else "accepted"

    def drop(self, dropped: Dropped) -> str:
        """Record a mail that gets no reply (spam, auto-reply, bounce, our own), once."""
        record = {"reason": dropped.reason, "sender": dropped.sender, "subject": dropped.subject}
        payload = {"dropped": {**record, "at": iso(utcnow())}}
        first = self.dedupe.first_time(SOURCE, dropped.external_id, payload)
        # The reason and SES's id only: addresses and subjects are personal data.
        logger.info(
            "email dropped",
            extra={"reason": dropped.reason, "ses_id": dropped.external_id, "repeat": not first},
        )
        return f"dropped:{dropped.reason}"


def handle_email_batch(event: dict[str, Any], receive: Callable[[str], str]) -> dict[str, Any]:
    """A Lambda SQS batch, record by record; failures return to the queue (then its DLQ) alone."""
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    def handle(record: SQSRecord) -> str:
        try:
            return receive(record.body)
        except Exception as error:
            # An error like the inbound worker's: after maxReceiveCount it is in the dead-letter queue.
            logger.exception(
                "inbound email failed, returned to the queue",
                extra={"error": type(error).__name__, "sqs_id": record.message_id},
            )
            raise

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return dict(process_partial_response(event=event, record_handler=handle, processor=processor))
