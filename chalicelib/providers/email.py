"""The email channel package: SES replies threaded and recorded, receipt notifications taken in."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.providers.core import Core

if TYPE_CHECKING:
    from chalicelib.channels.email.intake import EmailIntake
    from chalicelib.channels.email.threads import ThreadRecordingSender
    from chalicelib.channels.ingest import Ingest
    from chalicelib.store.dedupe import DedupeStore
    from chalicelib.store.mail_threads import MailThreadIndex


class EmailProvider(Core):
    """The SES sender and the inbound mail intake."""

    if TYPE_CHECKING:  # from other providers

        @property
        def ingest(self) -> Ingest: ...

        @property
        def dedupe(self) -> DedupeStore: ...

        @property
        def mail_threads(self) -> MailThreadIndex: ...

    @cached_property
    def email_sender(self) -> ThreadRecordingSender:
        """Threaded replies through SES, signed with the store's sign-off (else its name)."""
        from chalicelib.channels.email.outbound import EmailSender
        from chalicelib.channels.email.threads import ThreadRecordingSender

        s, store = self.settings, self.store_config
        signature = store.brand_voice.sign_off or store.name
        sender = EmailSender(
            self.sesv2, sender=s.email_from, region=s.aws_region, signature=signature
        )
        return ThreadRecordingSender(sender, self.mail_threads)

    @cached_property
    def email_intake(self) -> EmailIntake:
        """SES receipt notifications -> dropped with a record, or threaded and ingested."""
        from chalicelib.channels.email.inbound import s3_mail_fetcher
        from chalicelib.channels.email.intake import EmailIntake, bucket_guard
        from chalicelib.channels.email.threads import EmailThreads

        s = self.settings
        fetch = bucket_guard(s3_mail_fetcher(self.s3), s.inbound_email_bucket)
        threads = EmailThreads(self.mail_threads)
        return EmailIntake(
            self.ingest, threads, self.dedupe, own_address=s.email_from, fetch_s3=fetch
        )
