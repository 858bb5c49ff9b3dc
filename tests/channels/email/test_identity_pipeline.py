"""Who an email is from, end to end: the From header's address, authenticated by what SES checked.

Each mail is published to the SNS topic as SES's receipt rule does, drained through the email queue
and the inbound worker, and the reply SES sent is read back from moto.
"""

from __future__ import annotations

import pytest

from dev.seed import DEMO_EMAIL
from tests.channels.email.flow import (
    FIRST_ID,
    body_text,
    conversation_of,
    mail_in,
    sent_mail,
    store,
)
from tests.harness import Pipeline

__all__ = ["store"]
ATTACKER = "attacker@attacker.example"
ALL_PASS = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}
ORDER_DETAILS = ("UPS", "1Z999", "shipped", "Linen")


def raw_mail(from_header: str, text: str = "Where is my order #1001?") -> bytes:
    """A mail with the From header exactly as given (no re-encoding by a MIME library)."""
    lines = [
        f"From: {from_header}",
        "To: support@northwind.example",
        "Subject: Where is my order?",
        f"Message-ID: {FIRST_ID}",
        "Date: Tue, 24 Nov 2026 11:14:51 +0100",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        text,
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")


def assert_not_ava(pipeline: Pipeline, reply_to: str) -> None:
    """The only reply went to reply_to, without Ava's data, and the conversation is not Ava's."""
    [reply] = sent_mail(pipeline.moto_url)
    assert reply["To"] == reply_to and reply["Cc"] is None and reply["Bcc"] is None
    assert not any(detail in body_text(reply) for detail in ORDER_DETAILS), body_text(reply)
    conversation = conversation_of(pipeline, FIRST_ID)
    assert conversation.customer_id != "cust-ava"


@pytest.mark.parametrize(
    "from_header",
    [
        f"=?utf-8?b?YXZhQGV4YW1wbGUuY29t?= <{ATTACKER}>",  # display name: ava@example.com
        f"ava@example.com <{ATTACKER}>",
        f'"ava@example.com" <{ATTACKER}>',
        f"=?utf-8?q?ava=40example.com?= <{ATTACKER}>",
    ],
    ids=["encoded_display_name", "bare_address_as_name", "quoted_name", "q_encoded_name"],
)
def test_display_name_never_decides_whose_mail_it_is(store: Pipeline, from_header: str) -> None:
    mail_in(store, raw_mail(from_header), "ses-id-1", verdicts=ALL_PASS, source=ATTACKER)
    assert_not_ava(store, ATTACKER)


def test_encoded_line_break_in_display_name_adds_no_recipient(store: Pipeline) -> None:
    # "Ava\r\nBcc: evil@attacker.example" as an encoded word
    name = "=?utf-8?b?QXZhDQpCY2M6IGV2aWxAYXR0YWNrZXIuZXhhbXBsZQ==?="
    mail_in(store, raw_mail(f"{name} <{ATTACKER}>"), "ses-crlf", verdicts=ALL_PASS, source=ATTACKER)
    assert_not_ava(store, ATTACKER)


@pytest.mark.parametrize(
    "verdicts",
    [
        {"spf": "PASS", "dkim": "FAIL", "dmarc": "GRAY"},
        {"spf": "PASS", "dkim": "GRAY", "dmarc": "PROCESSING_FAILED"},
        {"spf": "PASS", "dkim": "PASS", "dmarc": "PROCESSING_FAILED"},
        {"spf": "PASS", "dkim": "PASS", "dmarc": "GRAY"},
    ],
    ids=["spf_other_domain_gray", "processing_failed", "all_pass_but_dmarc_failed", "gray"],
)
def test_authentication_of_another_domain_does_not_verify_the_from_address(
    store: Pipeline, verdicts: dict[str, str]
) -> None:
    mail_in(
        store, raw_mail(f"Ava Lee <{DEMO_EMAIL}>"), "ses-gray", verdicts=verdicts, source=ATTACKER
    )
    assert_not_ava(store, DEMO_EMAIL)
    assert conversation_of(store, FIRST_ID).verified is False


def test_aligned_spf_pass_without_dmarc_policy_is_verified(store: Pipeline) -> None:
    verdicts = {"spf": "PASS", "dkim": "GRAY", "dmarc": "GRAY"}
    source = "bounces@mail.example.com"  # same organizational domain as ava@example.com
    mail_in(store, raw_mail(f"Ava Lee <{DEMO_EMAIL}>"), "ses-ok", verdicts=verdicts, source=source)
    [reply] = sent_mail(store.moto_url)
    assert reply["To"] == DEMO_EMAIL and "1Z999" in body_text(reply)
    assert conversation_of(store, FIRST_ID).verified is True
