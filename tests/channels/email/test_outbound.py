"""Replies go out through SES as threaded raw MIME; SES failures are retried or final."""

from __future__ import annotations

import re
from email import message_from_string, policy
from email.message import EmailMessage

import boto3
import pytest
import requests

from chalicelib.channels.email.outbound import (
    EmailSender,
    ReplyThread,
    compose_reply,
    reply_subject,
    send_error,
)
from chalicelib.domain.errors import PermanentSendError, TransientError
from chalicelib.domain.messages import Channel, OutboundMessage

FROM = "Shop Support <support@shop.example.com>"
CUSTOMER_MAIL = "<CAB1x-second-reply@mail.gmail.com>"


def order_reply(**meta: object) -> OutboundMessage:
    """The AI's answer to Ava's mail about order #1001."""
    return OutboundMessage(
        message_id="msg_01",
        conversation_id="conv_01",
        channel=Channel.EMAIL,
        recipient="ava.jones@gmail.com",
        text="Hi Ava,\n\nOrder #1001 is with UPS <tracking 1Z999> & due Nov 26.",
        meta=meta,
    )


def sent_mails(moto_url: str) -> list[EmailMessage]:
    """Every raw mail moto's SES accepted, parsed."""
    data = requests.get(f"{moto_url}/moto-api/data.json", timeout=10).json()
    return [
        message_from_string(raw["raw_data"], policy=policy.default)
        for raw in data["ses"]["RawMessage"]
    ]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Where is my order?", "Re: Where is my order?"),
        ("Re: Where is my order?", "Re: Where is my order?"),
        ("RE: re:Re : Where is my order?", "Re: Where is my order?"),
        ("AW: Bestellung", "Re: Bestellung"),
        ("", "Re: Your message"),
    ],
)
def test_reply_subject_has_exactly_one_re(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_reply_is_threaded_under_the_customer_mail() -> None:
    thread = ReplyThread("Where is my order?", CUSTOMER_MAIL, ["<first@mail.gmail.com>"])
    mime = compose_reply(sender=FROM, recipient="ava@example.com", text="Hi", thread=thread)
    assert mime["In-Reply-To"] == CUSTOMER_MAIL
    assert mime["References"] == f"<first@mail.gmail.com> {CUSTOMER_MAIL}"
    assert mime["Subject"] == "Re: Where is my order?"


def test_new_mail_without_thread_has_no_threading_headers() -> None:
    mime = compose_reply(sender=FROM, recipient="ava@example.com", text="Hi", thread=ReplyThread())
    assert mime["In-Reply-To"] is None and mime["References"] is None


def test_reply_has_text_and_escaped_html_with_the_signature() -> None:
    thread = ReplyThread("Order")
    mime = compose_reply(
        sender=FROM, recipient="a@example.com", text="<b>1 & 2</b>", thread=thread, signature="Shop"
    )
    text = mime.get_body(("plain",))
    html = mime.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content() == "<b>1 & 2</b>\n\n-- \nShop\n"
    assert "&lt;b&gt;1 &amp; 2&lt;/b&gt;" in html.get_content()
    assert "<b>" not in html.get_content()


def test_sender_sends_one_threaded_reply_through_ses(moto_clean: str) -> None:
    boto3.client("ses", region_name="us-east-1").verify_email_identity(
        EmailAddress="support@shop.example.com"
    )
    client = boto3.client("sesv2", region_name="us-east-1")
    sender = EmailSender(client, sender=FROM, region="us-east-1", signature="The Shop team")
    meta = {
        "subject": "Where is my order #1001?",
        "in_reply_to": CUSTOMER_MAIL,
        "references": ["<first@mail.gmail.com>", CUSTOMER_MAIL],
    }
    result = sender.send(order_reply(**meta))
    assert re.fullmatch(r"<[^@<>]+@us-east-1\.amazonses\.com>", result.provider_id or "")
    [mail] = sent_mails(moto_clean)
    assert mail["To"] == "ava.jones@gmail.com"
    assert mail["Subject"] == "Re: Where is my order #1001?"
    assert mail["In-Reply-To"] == CUSTOMER_MAIL
    assert mail["References"] == f"<first@mail.gmail.com> {CUSTOMER_MAIL}"
    plain = mail.get_body(("plain",))
    assert plain is not None and "Order #1001 is with UPS" in plain.get_content()
    assert "The Shop team" in plain.get_content()


def test_send_from_an_unverified_address_is_refused_for_good(moto_clean: str) -> None:
    client = boto3.client("sesv2", region_name="us-east-1")
    sender = EmailSender(client, sender="nobody@shop.example.com", region="us-east-1")
    with pytest.raises(PermanentSendError):
        sender.send(order_reply())


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("TooManyRequestsException", 429, TransientError),
        ("Throttling", 400, TransientError),
        ("InternalFailure", 500, TransientError),
        ("ServiceUnavailable", 503, TransientError),
        ("MessageRejected", 400, PermanentSendError),
        ("AccountSuspendedException", 400, PermanentSendError),
        ("SendingPausedException", 400, PermanentSendError),
    ],
)
def test_ses_errors_are_retried_or_final(code: str, status: int, error: type[Exception]) -> None:
    response = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    assert isinstance(send_error(response), error)
