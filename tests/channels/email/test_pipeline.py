"""Email end to end on moto server: SES notification -> SNS topic -> queue -> agent -> SES reply."""

from __future__ import annotations

import pytest

from dev.seed import DEMO_EMAIL
from tests.channels.email.flow import (
    FIRST_ID,
    body_text,
    conversation_of,
    customer_mail,
    mail_in,
    notification,
    publish,
    sent_mail,
    store,
)
from tests.harness import Pipeline

__all__ = ["store"]  # the fixture


@pytest.mark.parametrize("encoding", ["BASE64", "UTF8"])
def test_verified_customer_gets_one_threaded_reply_with_order_status(
    store: Pipeline, encoding: str
) -> None:
    mail_in(store, customer_mail("Hi, where is my order?"), "ses-in-1", encoding=encoding)
    [reply] = sent_mail(store.moto_url)
    assert reply["To"] == DEMO_EMAIL and reply["From"] == store.env["EMAIL_FROM"]
    assert reply["Subject"] == "Re: Where is my order?"
    assert reply["In-Reply-To"] == FIRST_ID and FIRST_ID in reply["References"]
    text = body_text(reply)
    assert "1001" in text and "UPS" in text and "1Z999AA10123456784" in text
    assert "Northwind Threads" in text  # the store's sign-off
    assert reply.get_body(preferencelist=("html",)) is not None


def test_reply_to_our_mail_continues_the_same_conversation(store: Pipeline) -> None:
    mail_in(store, customer_mail("Hi, where is my order?"), "ses-in-1")
    ses_id = sent_mail(store.moto_url)[0]["X-Ses-Id"]
    ours = f"<{ses_id}@email.amazonses.com>"  # the domain SES shows in us-east-1
    second = customer_mail(
        "Thanks! When will it arrive?",
        subject="Re: Where is my order?",
        message_id="<ava-second@mail.example.com>",
        in_reply_to=ours,
        references=[FIRST_ID, ours],
    )
    mail_in(store, second, "ses-in-2")
    replies = sent_mail(store.moto_url)
    assert len(replies) == 2
    assert replies[1]["In-Reply-To"] == "<ava-second@mail.example.com>"
    assert replies[1]["Subject"] == "Re: Where is my order?"
    assert FIRST_ID in replies[1]["References"] and ours in replies[1]["References"]
    conversation = conversation_of(store, FIRST_ID)
    assert [m.author.value for m in conversation.messages] == ["customer", "ai", "customer", "ai"]
    sent = conversation.messages[1]
    item = store.services.table.get(f"CONV#{conversation.conversation_id}", sent.sk)
    assert sent.status == "sent" and item and ses_id in item["provider_id"]


def test_reply_without_in_reply_to_threads_by_references(store: Pipeline) -> None:
    mail_in(store, customer_mail("Where is my order?"), "ses-in-1")
    ses_id = sent_mail(store.moto_url)[0]["X-Ses-Id"]
    second = customer_mail(
        "And the tracking link?",
        message_id="<ava-second@mail.example.com>",
        references=[FIRST_ID, f"<{ses_id}@eu-west-1.amazonses.com>"],
    )
    mail_in(store, second, "ses-in-2")
    assert len(conversation_of(store, FIRST_ID).messages) == 4


def test_reply_address_names_the_conversation(store: Pipeline) -> None:
    mail_in(store, customer_mail("Where is my order?"), "ses-in-1")
    conversation_id = conversation_of(store, FIRST_ID).conversation_id
    second = customer_mail(
        "One more thing about my order",
        message_id="<ava-other@mail.example.com>",
        to=f"reply+{conversation_id}@northwind.example",
    )
    mail_in(store, second, "ses-in-2")
    assert len(conversation_of(store, FIRST_ID).messages) == 4


def test_a_new_mail_starts_a_new_conversation(store: Pipeline) -> None:
    mail_in(store, customer_mail("Where is my order?"), "ses-in-1")
    other = customer_mail(
        "Do you sell gift cards?", subject="Gift cards", message_id="<ava-new@mail.example.com>"
    )
    mail_in(store, other, "ses-in-2")
    first = conversation_of(store, FIRST_ID)
    second = conversation_of(store, "<ava-new@mail.example.com>")
    assert first.conversation_id != second.conversation_id
    assert first.customer_id == second.customer_id
    assert sent_mail(store.moto_url)[1]["Subject"] == "Re: Gift cards"


def test_the_same_notification_twice_sends_one_reply(store: Pipeline) -> None:
    raw = customer_mail("Where is my order?")
    for _ in range(2):
        publish(store.moto_url, store.env["INBOUND_EMAIL_TOPIC_ARN"], notification(raw, "ses-in-1"))
    store.drain("INBOUND_EMAIL_QUEUE_URL", "inbound_email")
    store.drain()
    mail_in(store, raw, "ses-in-1")
    assert len(sent_mail(store.moto_url)) == 1
    assert len(conversation_of(store, FIRST_ID).messages) == 2
