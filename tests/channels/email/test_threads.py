"""Threading rules: Message-ID keys, which ids a reply names, who may join a conversation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.channels.email.intake import handle_email_batch
from chalicelib.channels.email.threads import (
    may_join,
    new_conversation_id,
    reply_thread,
    thread_candidates,
)
from chalicelib.domain.messages import Channel, InboundMessage
from chalicelib.store.mail_threads import ThreadOwner, mail_id_key

LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=60)


@given(local=LOCAL, region=st.sampled_from(["email", "us-east-1", "eu-west-1", "ap-south-1"]))
def test_an_ses_id_has_one_key_whatever_the_domain_ses_shows(local: str, region: str) -> None:
    assert mail_id_key(f"<{local}@{region}.amazonses.com>") == mail_id_key(
        f" {local}@AMAZONSES.COM "
    )


def test_other_message_ids_keep_their_domain_case_insensitively() -> None:
    assert mail_id_key("<CAB1x@Mail.Gmail.com>") == "CAB1x@mail.gmail.com"
    assert mail_id_key("<CAB1x@mail.gmail.com>") != mail_id_key("<CAB1x@outlook.com>")
    assert mail_id_key("<>") == ""


def test_in_reply_to_comes_first_then_references_newest_first() -> None:
    meta = {"in_reply_to": "<c>", "references": ["<a>", "<b>", "<c>"]}
    assert thread_candidates(meta) == ["<c>", "<b>", "<a>"]
    assert thread_candidates({}) == []


def message(sender: str, verified: bool) -> InboundMessage:
    """A received mail."""
    return InboundMessage(
        channel=Channel.EMAIL,
        source="ses",
        external_id="x",
        sender=sender,
        text="hi",
        verified=verified,
    )


@pytest.mark.parametrize(
    ("owner_verified", "sender", "verified", "joins"),
    [
        (True, "ava@example.com", True, True),
        (True, "ava@example.com", False, False),  # spoofed From: never a verified conversation
        (False, "ava@example.com", True, False),  # proven now: its own conversation with data
        (False, "ava@example.com", False, True),
        (True, "eve@example.com", True, False),  # someone else replying (forward, CC)
    ],
)
def test_only_the_same_address_with_the_same_proof_joins(
    owner_verified: bool, sender: str, verified: bool, joins: bool
) -> None:
    owner = ThreadOwner("conv_1", "ava@example.com", owner_verified)
    assert may_join(owner, message(sender, verified)) is joins


def test_our_reply_answers_the_customers_mail_under_their_references() -> None:
    meta = {"subject": "Re: Order", "message_id": "<m2>", "in_reply_to": "<m1>", "references": []}
    assert reply_thread(meta) == {
        "subject": "Re: Order",
        "in_reply_to": "<m2>",
        "references": ["<m1>"],
    }


def test_a_new_mails_conversation_is_stable_across_redeliveries() -> None:
    assert (
        new_conversation_id("ses-1") == new_conversation_id("ses-1") != new_conversation_id("ses-2")
    )


def record(message_id: str, body: str) -> dict[str, Any]:
    """An SQS record as Lambda gives it."""
    return {"messageId": message_id, "body": body, "receiptHandle": "h", "attributes": {}}


def test_one_failing_record_is_reported_alone() -> None:
    def receive(body: str) -> str:
        if body == "poison":
            raise ValueError("unreadable")
        return "accepted"

    event = {"Records": [record("a", "ok"), record("b", "poison"), record("c", "ok")]}
    assert handle_email_batch(event, receive) == {"batchItemFailures": [{"itemIdentifier": "b"}]}


def test_a_batch_that_fails_whole_is_reported_record_by_record() -> None:
    def receive(body: str) -> str:
        raise ValueError(body)

    event = {"Records": [record("a", "x"), record("b", "y")]}
    failures = handle_email_batch(event, receive)["batchItemFailures"]
    assert [f["itemIdentifier"] for f in failures] == ["a", "b"]
